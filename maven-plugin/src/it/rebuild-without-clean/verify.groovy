// The second build recognised its own output: nothing woven twice, and the code works.
def log = new File(basedir, 'build.log').text
assert log =~ /\[baton\] wove 2 @Traced methods in 1 class \(0 call sites\)/
assert log.contains('[baton] nothing changed since the last weave: 2 @Traced methods in 1 class')
assert log.contains('Tests run: 1, Failures: 0, Errors: 0')
def woven = new File(basedir, 'target/classes/com/acme/billing/Invoices.class').getText('ISO-8859-1')
assert (woven =~ 'total_aroundBody\\d+\\$advice').count == 1
assert (woven =~ 'tax_aroundBody\\d+\\$advice').count == 1
assert new File(basedir, 'target/baton/unwoven/com/acme/billing/Invoices.class').exists()
assert !new File(basedir, 'target/baton/unwoven/com/acme/billing/Invoices_BatonAspect.class').exists()
return true
