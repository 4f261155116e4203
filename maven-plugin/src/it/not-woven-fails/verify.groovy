// Without the processor nothing generates aspects: the weave names each method and the fix.
def log = new File(basedir, 'build.log').text
assert log.contains('[baton] These @Traced methods were not woven')
assert log.contains('baton-processor is missing from the maven-compiler-plugin\'s <annotationProcessorPaths>')
assert log.contains('com.acme.billing.Invoices.total(int) (com/acme/billing/Invoices.java:10)')
assert log.contains('com.acme.billing.Invoices.number(String, long) (com/acme/billing/Invoices.java:15)')
assert !log.contains('Tests run:')
return true
