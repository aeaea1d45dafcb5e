def log = new File(basedir, 'build.log').text
assert log.contains('Cannot tell which main class the image should run: no class has a main method')
assert log.contains('<mainClass>')
assert !new File(basedir, 'target/imagegate/image.json').exists()
return true
