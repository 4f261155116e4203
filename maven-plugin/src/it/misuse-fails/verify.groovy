// Every misuse is reported in one compilation, each on its own line of Misuses.java.
def log = new File(basedir, 'build.log').text
assert log.contains('COMPILATION ERROR')
def expected = [
    '[BatonAbstractMethod]': 9,
    '[BatonUnsupportedAttributeType]': 13,
    '[BatonDuplicateAttributeKey]': 16,
    '[BatonBlankSpanName]': 18,
    '[BatonSpanAttributeWithoutTraced]': 21,
]
expected.each { id, line ->
  assert log =~ /Misuses\.java:\[${line},\d+\] \Q${id}\E/ : "no $id on line $line of Misuses.java"
}
assert !new File(basedir, 'target/classes/com/acme/misuse/Misuses.class').exists()
return true
