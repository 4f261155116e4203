// Every SQS call site was woven and reported; only the SQS aspect and the generic one were
// enabled (no SNS, Lambda or DynamoDB client here), so ajc had nothing to warn about.
def log = new File(basedir, 'build.log').text
assert log =~ /\[baton\] wove 0 @Traced methods in 0 classes \(\d+ call sites\)/
assert log =~ /Tests run: 4, Failures: 0, Errors: 0, Skipped: 0/
assert !log.contains('[WARNING] [baton]')
assert !log.contains('cantFindType')

def json = new File(basedir, 'target/baton/weave-report.json').text
assert json.contains('"operation": "Sqs.SendMessage", "spanKind": "PRODUCER", "context": "injects"')
assert json.contains('"operation": "Sqs.SendMessageBatch"')
assert json.contains('"operation": "Sqs.ReceiveMessage", "spanKind": "CLIENT", "context": "requests the context attributes"')
assert json.contains('"operation": "Sqs.GetQueueUrl", "spanKind": "CLIENT", "context": "none"')
def xml = new File(basedir, 'target/baton/aop-ajc.xml').text
assert xml.contains('dev.baton.aspects.SqsCalls') && xml.contains('dev.baton.aspects.AwsSdkCalls')
assert !xml.contains('dev.baton.aspects.SnsCalls') && !xml.contains('dev.baton.aspects.LambdaCalls')

// The library aspects' aspectOf() calls were finished away: the woven class needs no AspectJ.
def woven = new File(basedir, 'target/classes/com/acme/orders/OrderQueue.class').getText('ISO-8859-1')
assert woven.contains('sendMessage_aroundBody1$advice')
assert !woven.contains('org/aspectj')
assert !woven.contains('aspectOf')
return true
