// Lombok and baton-processor ran side by side; Lombok's members and the woven spans both work.
def log = new File(basedir, 'build.log').text
assert log =~ /\[baton\] wove 2 @Traced methods in 2 classes \(0 call sites\)/
assert log.contains('Tests run: 1, Failures: 0, Errors: 0')
assert !log.contains('[WARNING] [baton]')
def classes = new File(basedir, 'target/classes/com/acme/shop')
assert new File(classes, 'Cart.class').getText('ISO-8859-1').contains('getOwner')
assert new File(classes, 'Checkout.class').getText('ISO-8859-1').contains('org/slf4j/Logger')
assert new File(classes, 'Checkout_BatonAspect.class').exists()
return true
