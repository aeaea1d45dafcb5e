// Runs this IT only where the old-openssl test base exists and is affected by the shipped OSV record: the variant needs
// an older libssl3 in another suite of the machine's apt sources (Debian 12 has one; Debian 13 may not), and the record
// covers Debian 12 only. Prints why when it skips.
import groovy.json.JsonSlurper

def skip = { String why -> println "scan-dpkg-gate SKIPPED: ${why}"; return false }
def ref = System.getenv('IMAGEGATE_BASE_IMAGE_OLD_OPENSSL')
def pinned = System.getenv('IMAGEGATE_BASE_IMAGE_OLD_OPENSSL_PINNED')   // libssl3=<version>
if (!ref || !pinned) {
  return skip('IMAGEGATE_BASE_IMAGE_OLD_OPENSSL is not set: scripts/peers start builds the old-openssl base only where this ' +
      "machine's apt sources offer a libssl3 older than the candidate (see its 'variant old-openssl skipped' message), then eval \"\$(scripts/peers env)\"")
}
def osRelease = new File('/etc/os-release').readLines().collectEntries { l -> def i = l.indexOf('='); i > 0 ? [(l[0..<i]): l[(i + 1)..-1].replace('"', '')] : [:] }
def record = new JsonSlurper().parse(new File(projectRoot as String, 'src/test/resources/osv/Debian/DEBIAN-CVE-2026-28388.json'))
def affected = record.affected.find { it.package.ecosystem == "Debian:${osRelease.VERSION_ID}" }
if (affected == null) {
  return skip("the shipped record ${record.id} has no range for Debian ${osRelease.VERSION_ID} (only ${record.affected*.package*.ecosystem})")
}
def fixed = affected.ranges[0].events.find { it.fixed }?.fixed
def (pkg, version) = pinned.tokenize('=')
def p = ['dpkg', '--compare-versions', version, 'lt', fixed].execute()
p.waitFor()
if (p.exitValue() != 0) {
  return skip("the old-openssl base holds ${pkg} ${version}, not older than ${fixed} where ${record.id} is fixed")
}
return true
