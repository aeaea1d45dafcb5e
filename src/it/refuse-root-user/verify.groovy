def log = new File(basedir, 'build.log').text
assert log.contains("The image would run as root (user 'root')")
assert log.contains('allowRootUser')
assert !new File(basedir, 'target/imagegate/image.json').exists()
return true
