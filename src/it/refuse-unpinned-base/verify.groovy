def log = new File(basedir, 'build.log').text
assert log.contains("The base image '127.0.0.1:15000/imagegate/java-base:debian12' is not pinned by digest")
assert log.contains('allowUnpinnedBase')
assert !new File(basedir, 'target/imagegate/image.json').exists()
return true
