// The rebuild after one class changed wove only that class, and wrote what a clean build writes.
def log = new File(basedir, 'build.log').text
def woven = ~/\[baton\] wove 4 @Traced methods in 3 classes \(0 call sites\) in \d+\.\d s(.*); report/
def lines = log.readLines().findAll { it =~ woven }
assert lines.size() == 3 : lines
// Cart, Catalog, Checkout and their _BatonSpans: javac compiled all six again, five are unchanged.
assert !lines[0].contains('unchanged')
assert lines[1].contains('(5 unchanged classes taken from the last weave)')
assert !lines[2].contains('unchanged')

def rebuilt = new File(basedir, 'target/classes')
def clean = new File(basedir, 'target-clean/classes')
def classFiles = { File root ->
  def files = [:]
  root.eachFileRecurse(groovy.io.FileType.FILES) { files[root.toPath().relativize(it.toPath()).toString()] = it.bytes.encodeHex().toString() }
  files
}
def rebuiltFiles = classFiles(rebuilt)
def cleanFiles = classFiles(clean)
assert rebuiltFiles.keySet() == cleanFiles.keySet()
rebuiltFiles.each { path, bytes -> assert bytes == cleanFiles[path] : "${path} differs from a clean build's" }
assert rebuiltFiles.containsKey('com/acme/shop/Catalog_BatonAspect.class')

// Woven once, from variant b's Catalog (120, not 100).
def catalog = new File(rebuilt, 'com/acme/shop/Catalog.class').getText('ISO-8859-1')
assert (catalog =~ 'price_aroundBody\\d+\\$advice').count == 1
assert new File(basedir, 'target/baton/woven/com/acme/shop/Catalog.class').exists()
assert new File(basedir, 'target/baton/weave-report.json').text == new File(basedir, 'target-clean/baton/weave-report.json').text
return true
