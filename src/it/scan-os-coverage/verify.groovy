import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def scan = new JsonSlurper().parse(new File(basedir, 'target/imagegate/scan.json'))

// 1. the rpm base fails, naming the database, the OS and the opt-out
assert log.contains('The image holds operating system packages the scan cannot check')
assert log.contains('var/lib/rpm/rpmdb.sqlite (an rpm database) of rhel 9.3')
assert log.contains('-Dimagegate.scan.allowUnscannedOs=true')
// 2. with the opt-out it passes, and says what it did not check
assert log.contains('NOT CHECKED (imagegate.scan.allowUnscannedOs=true): var/lib/rpm/rpmdb.sqlite')
assert log =~ /imagegate:scan sha256:[0-9a-f]{64} PASSED/
// 3. the Ubuntu base: Ubuntu's ecosystem added to the default Debian,Maven, the real CVE found and blocking
assert log.contains('CVE-2023-0286 HIGH in libssl3 3.0.2-0ubuntu1.7 (fixed in 3.0.2-0ubuntu1.8)')
assert scan.os.family == 'ubuntu'
assert scan.os.release == '22.04'
assert scan.database.ecosystems.tokenize(',').containsAll(['Debian', 'Maven', 'Ubuntu'])
assert scan.packages.ubuntu == 4
assert scan.summary.passed == false
def f = scan.findings.find { it.id == 'CVE-2023-0286' }
assert f.ecosystem == 'Ubuntu:22.04:LTS'
assert f.sourcePackage == 'openssl'
assert f.severitySource == 'ubuntu'
assert f.blocking == true
return true
