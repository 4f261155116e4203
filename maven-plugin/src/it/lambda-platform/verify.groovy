// The handlers were woven on the built-in setup (no autoconfigure here), and the project's own
// tests, through the real runtime client as Lambda runs it, passed.
def log = new File(basedir, 'build.log').text
assert log =~ /\[baton\] wove \d+ @Traced methods in 6 classes/
assert log =~ /Tests run: 23, Failures: 0, Errors: 0, Skipped: 0/
assert !log.contains('[WARNING] [baton]')

def spans = new File(basedir, 'target/generated-sources/annotations/it/platform/Checkout_BatonSpans.java').text
assert spans.contains('BuiltInTelemetry.startOnce();')
assert spans.contains('return Slf4jTraceIds.attach(LambdaInvocation.startHttpApi(event, context));')
assert new File(basedir, 'target/generated-sources/annotations/it/platform/Checkout_BatonAspect.aj').text.contains('Scope scope = Slf4jTraceIds.makeCurrent(span);')
return true
