import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def out = new File(basedir, 'target/imagegate')
def image = new JsonSlurper().parse(new File(out, 'image.json'))
def scan = new JsonSlurper().parse(new File(out, 'scan.json'))
def (pkg, installed) = System.getenv('IMAGEGATE_BASE_IMAGE_OLD_OPENSSL_PINNED').tokenize('=')

// the build used the old-openssl base, pinned by digest
assert image.base.digest == System.getenv('IMAGEGATE_BASE_IMAGE_OLD_OPENSSL').replaceFirst(/^.*@/, '') : image.base
// run 1 passed with the CVE ignored; run 2 failed naming the CVE, the binary package, installed and fixed version
assert log.contains("imagegate:scan ${image.digest} PASSED")
assert log.contains("imagegate:scan ${image.digest} FAILED")
assert log.contains('Suppressed CVE-2026-28388 in libssl3')
assert log.contains("CVE-2026-28388 HIGH in ${pkg} ${installed} (fixed in 3.0.19-1~deb12u2)")
assert log.contains('to .trivyignore')
// the report of the failing run: source package, severity from the CVSS vector (no Debian urgency), blocking
assert scan.digest == image.digest
assert scan.summary.passed == false
assert scan.summary.blocking >= 1
def f = scan.findings.find { it.id == 'CVE-2026-28388' }
assert f != null : scan.findings*.id
assert f.severity == 'HIGH'
assert f.cvssScore == 7.5
assert f.fixed == '3.0.19-1~deb12u2'
assert f.installed == installed
assert f.sourcePackage == 'openssl'
assert f.packageName == pkg
assert f.severitySource == 'cvss'
assert f.blocking == true
assert scan.os.family == 'debian'
return true
