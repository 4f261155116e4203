// The handlers were woven (with the zero-code setup, since autoconfigure is on the classpath),
// and the project's own end-to-end tests, through the real runtime client, passed.
def log = new File(basedir, 'build.log').text
assert log =~ /\[baton\] wove \d+ @Traced methods in 6 classes/
assert log =~ /Tests run: 12, Failures: 0, Errors: 0, Skipped: 0/
assert !log.contains('[WARNING] [baton]')

def generated = new File(basedir, 'target/generated-sources/annotations/it/handlers')
def spans = new File(generated, 'ProcessOrders_BatonSpans.java').text
assert spans.contains('AutoConfiguredTelemetry.startOnce();')
assert spans.contains('return LambdaInvocation.startSqs(event, context);')
assert spans.contains('MessageSpans.sqsMessage(null, message)')
assert new File(generated, 'NightlyReport_BatonSpans.java').text.contains('LambdaInvocation.startOther(LambdaInvocation.TIMER, context)')
assert new File(generated, 'ProcessOrders_BatonAspect.aj').text.contains('invocation.endSqs(result);')

def woven = new File(basedir, 'target/classes/it/handlers/ProcessOrders.class').getText('ISO-8859-1')
assert woven.contains('handleRequest_aroundBody1$advice')
assert !woven.contains('AroundClosure')
// The function's own global registration goes through Baton's runtime (no AspectJ either).
def audit = new File(basedir, 'target/classes/it/handlers/AuditOrders.class').getText('ISO-8859-1')
assert audit.contains('dev/baton/runtime/internal/sdk/AutoConfiguredTelemetry')
assert new File(basedir, 'target/baton/weave-report.json').text.contains('AutoConfiguredOpenTelemetrySdkBuilder.setResultAsGlobal')
// Woven handlers and generated aspects alike: nothing needs the AspectJ runtime.
new File(basedir, 'target/classes/it/handlers').eachFile { file ->
  assert !file.getText('ISO-8859-1').contains('org/aspectj') : "AspectJ in $file"
}
return true
