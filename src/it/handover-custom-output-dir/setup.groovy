evaluate(new File(projectRoot, 'src/it/common/git-init.groovy'))
// the signing key: a PEM PKCS#8 EC P-256 key made by openssl
def key = ['openssl', 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', new File(basedir, 'signing-key.pem').path].execute()
assert key.waitFor() == 0 : key.errorStream.text
// a repository no earlier run pushed to (the registry keeps its state)
def run = UUID.randomUUID().toString().substring(0, 8)
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text = "-DitRepository=it/handover-${run}\n"
new File(basedir, 'repository.txt').text = "it/handover-${run}"
return true
