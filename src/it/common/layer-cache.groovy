// Shared by the stories that share a scan layer cache: evaluate this file to get the closure
//   def checkLayerCache = evaluate(new File(projectRoot, 'src/it/common/layer-cache.groovy'))
//   checkLayerCache(new File(basedir, 'shared-cache/scan-layers'))   // -> the number of entries
// Every entry must be complete and checksummed (scan/layer/LayerCache): a header line
// "imagegate-layer-cache <version> <layer digest> <sha256 hex of the body> <body length>", then the JSON body whose
// "digest" is the header's layer digest. No temp file may be left behind.
return { File layers ->
  assert layers.isDirectory() : layers
  assert !layers.listFiles().any { it.name.endsWith('.tmp') } : layers.list()
  def entries = layers.listFiles().findAll { it.isFile() }
  entries.each { File f ->
    byte[] bytes = f.bytes
    int nl = (0..<bytes.length).find { bytes[it] == (byte) 10 } ?: -1
    assert nl > 0 : "${f}: no header line"
    def header = new String(bytes, 0, nl, 'US-ASCII').split(' ')
    byte[] body = java.util.Arrays.copyOfRange(bytes, nl + 1, bytes.length)
    assert header.length == 5 && header[0] == 'imagegate-layer-cache' : "${f}: ${header}"
    assert header[2] ==~ /sha256:[0-9a-f]{64}/ : f
    assert body.length == (header[4] as long) : "${f}: body length"
    assert java.security.MessageDigest.getInstance('SHA-256').digest(body).encodeHex().toString() == header[3] : "${f}: checksum"
    assert new groovy.json.JsonSlurper().parse(body).digest == header[2] : "${f}: another layer's facts"
  }
  return entries.size()
}
