import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def out = new File(basedir, 'target/imagegate')
def image = new JsonSlurper().parse(new File(out, 'image.json'))
def scan = new JsonSlurper().parse(new File(out, 'scan.json'))

// run 1 (mvn -q: errors only) failed naming the CVE, package, installed and fixed version, and the fix
def quiet = log.substring(0, log.indexOf('[INFO] ') < 0 ? log.length() : log.indexOf('[INFO] '))
assert quiet.contains('[ERROR] Failed to execute goal dev.imagegate:') : quiet
assert quiet.contains('CVE-2021-44228 CRITICAL in org.apache.logging.log4j:log4j-core 2.14.1 (fixed in 2.15.0)') : quiet
assert quiet.contains('Fix: Upgrade to the fixed versions') && quiet.contains('to .trivyignore (imagegate.scan.ignoreFile)') : quiet
assert log.contains('CVE-2021-44228 CRITICAL in org.apache.logging.log4j:log4j-core 2.14.1 (fixed in 2.15.0)')
assert log.contains('to .trivyignore')
// run 3 warned about the expired entry
assert log.contains('expired on 2024-01-31')
// the last run (offline, active ignore) passed from the cache, with the unreachable URL never contacted
assert scan.schemaVersion == 1
assert scan.digest == image.digest
assert scan.summary.passed == true
assert scan.summary.blocking == 0
assert scan.summary.suppressed == 2
assert scan.suppressed*.id.sort() == ['CVE-2021-44228', 'CVE-2021-45046']
assert scan.suppressed.find { it.id == 'CVE-2021-44228' }.expires == '2099-12-31'
assert scan.suppressed.find { it.id == 'CVE-2021-44228' }.reason.contains('JNDI')
assert scan.database.source.endsWith('osv-zips')
assert scan.os.family == 'debian'
assert scan.os.release ==~ /1[2-9]/
assert scan.packages.debian >= 8
assert scan.packages.maven >= 2
// zlib's CVE-2023-45853 has no fix in the release: hidden by ignoreUnfixed, counted
assert scan.summary.unfixedHidden >= 1
assert new File(out, 'scan.sarif').length() > 100
assert new File(out, 'sbom.cdx.json').length() > 100
def sbom = new JsonSlurper().parse(new File(out, 'sbom.cdx.json'))
assert sbom.bomFormat == 'CycloneDX'
assert sbom.components.any { it.purl == 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' }
assert log.contains("imagegate:scan ${image.digest} PASSED")
assert log.contains("imagegate:scan ${image.digest} FAILED")
// readable logs (issue 16.7): imagegate's lines within 120 characters, full digests only in summary lines and failures
def checkLogLines = evaluate(new File(projectRoot, 'src/it/common/log-lines.groovy'))
checkLogLines(new File(basedir, 'build.log'))
return true
