def log = new File(basedir, 'build.log').text
assert log.contains('of the base image does not speak HTTPS')
assert log.contains('allowInsecureRegistries')
assert !new File(basedir, 'target/imagegate/image.json').exists()
return true
