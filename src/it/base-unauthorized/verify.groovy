def log = new File(basedir, 'build.log').text
assert log.contains('Not authorized to pull the base image')
assert log.contains('settings.xml')
assert !new File(basedir, 'target/imagegate/image.json').exists()
return true
