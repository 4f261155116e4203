// The weave ran once, reported, and the woven code passed the project's own span tests.
def log = new File(basedir, 'build.log').text
assert log =~ /\[baton\] wove 4 @Traced methods in 2 classes \(0 call sites\) in \d+\.\d s; report: target.baton.weave-report.html/
assert log.contains('Tests run: 5, Failures: 0, Errors: 0')
assert !log.contains('[WARNING] [baton]')

def json = new File(basedir, 'target/baton/weave-report.json').text
assert json.contains('"span": "place order"')
assert json.contains('"class": "com.acme.orders.Orders$Pricing", "method": "unitPrice(int)"')
assert new File(basedir, 'target/baton/weave-report.html').text.contains('<td>place order</td>')

def classes = new File(basedir, 'target/classes')
def woven = new File(classes, 'com/acme/orders/Orders.class').getText('ISO-8859-1')
assert woven.contains('place_aroundBody1$advice')
assert !woven.contains('AroundClosure')
assert !woven.contains('org.aspectj.weaver')
assert !woven.contains('aspectOf')
assert new File(classes, 'com/acme/orders/Orders_BatonAspect.class').exists()
assert new File(classes, 'com/acme/orders/Orders_Pricing_BatonAspect.class').exists()
classes.eachFileRecurse { file ->
  assert file.isDirectory() || file.name.endsWith('.class') : "debris in target/classes: $file"
  // Woven classes and generated aspects alike: nothing needs the AspectJ runtime.
  assert file.isDirectory() || !file.getText('ISO-8859-1').contains('org/aspectj') : "AspectJ in $file"
}
return true
