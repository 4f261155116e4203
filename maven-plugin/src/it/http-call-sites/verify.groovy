// Every HTTP client and EventBridge / Step Functions call site was woven by baton:weave and
// reported; the woven classes need no AspectJ and passed the reflection check; the tests ran them.
def log = new File(basedir, 'build.log').text
assert log =~ /\[baton\] wove 0 @Traced methods in 0 classes \(8 call sites\)/
assert log =~ /Tests run: 3, Failures: 0, Errors: 0, Skipped: 0/
assert !log.contains('[WARNING] [baton]')
assert !log.contains('cantFindType')

def json = new File(basedir, 'target/baton/weave-report.json').text
assert json.contains('"operation": "CloseableHttpClient.execute", "spanKind": "CLIENT", "context": "injects"')
assert json.contains('"operation": "CloseableHttpClient.executeOpen", "spanKind": "CLIENT", "context": "injects"')
assert json.contains('"operation": "CloseableHttpAsyncClient.execute", "spanKind": "CLIENT", "context": "injects"')
assert json.contains('"operation": "OkHttpClient.newCall", "spanKind": "CLIENT", "context": "injects"')
assert json.contains('"operation": "EventBridge.PutEvents", "spanKind": "PRODUCER", "context": "injects"')
assert json.contains('"operation": "Sfn.StartExecution", "spanKind": "CLIENT", "context": "injects"')
def xml = new File(basedir, 'target/baton/aop-ajc.xml').text
['ApacheHttpClientCalls', 'OkHttpCalls', 'JdkHttpClientCalls', 'EventBridgeCalls', 'StepFunctionsCalls', 'AwsSdkCalls'].each {
  assert xml.contains('dev.baton.aspects.' + it)
}
assert !xml.contains('dev.baton.aspects.SqsCalls') && !xml.contains('dev.baton.aspects.LambdaCalls')

['PaymentsApi', 'OrderEvents'].each {
  def woven = new File(basedir, "target/classes/com/acme/payments/${it}.class").getText('ISO-8859-1')
  assert !woven.contains('org/aspectj')
  assert !woven.contains('aspectOf')
}
return true
