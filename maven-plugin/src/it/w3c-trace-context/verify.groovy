// The W3C Trace Context cases ran against the Baton-traced function and the
// OpenTelemetry-only reference (TraceContextCasesTest asserts Baton passes every case the
// reference passes); the function's HttpClient.send was woven and reported, without AspectJ.
def log = new File(basedir, 'build.log').text
assert log =~ /\[w3c\] ported cases: Baton \d+ of \d+/
assert log =~ /Tests run: \d+, Failures: 0, Errors: 0/
assert !log.contains('cantFindType')

def json = new File(basedir, 'target/baton/weave-report.json').text
assert json.contains('"operation": "HttpClient.send", "spanKind": "CLIENT", "context": "injects"')
def xml = new File(basedir, 'target/baton/aop-ajc.xml').text
assert xml.contains('dev.baton.aspects.JdkHttpClientCalls')
assert !xml.contains('dev.baton.aspects.OkHttpCalls') && !xml.contains('dev.baton.aspects.ApacheHttpClientCalls')

def woven = new File(basedir, 'target/classes/it/w3c/CallTheHarness.class').getText('ISO-8859-1')
assert woven.contains('JdkHttpCalls')
assert !woven.contains('org/aspectj')
assert !woven.contains('aspectOf')
return true
