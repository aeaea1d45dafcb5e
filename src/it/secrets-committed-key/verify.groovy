def log = new File(basedir, 'build.log').text
assert log.contains('1 secret found that the baseline .secrets.baseline (absent) does not accept:')
assert log.contains('src/main/resources/app.properties:3: AWS Access Key')
assert log.contains('Fix: Remove each secret and rotate it')
// the secret itself is never printed
assert !log.contains('AKIAZ3MH7' + 'QKPC2WX4RTB')  // split: this file is committed and scanned too
assert log.contains('BUILD FAILURE')
return true
