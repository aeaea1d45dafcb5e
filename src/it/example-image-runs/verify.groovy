import groovy.json.JsonSlurper

// The built image really runs: unpack its layers (with OCI whiteouts) into a root, start the entrypoint under
// chroot as uid 65532, and ask the service for /health and /metrics.
def image = new JsonSlurper().parse(new File(basedir, 'myapp/target/imagegate/image.json'))
assert image.user == '65532'
def archive = new File(basedir, 'myapp/target/imagegate/image.tar')
def cmd = [new File(projectRoot, 'scripts/image-run').path, archive.path,
           '--env', 'AWS_REGION=us-west-2',
           '--expect-substring', '/health={"status":"healthy","region":"us-west-2"}',
           '--expect-substring', '/metrics=myapp_http_requests_total{method="GET",route="/health",status_code="200"}',
           '--expect-uid', '65532', '--timeout', '90']
def p = new ProcessBuilder(cmd).redirectErrorStream(true).start()
def out = p.inputStream.text
def rc = p.waitFor()
new File(basedir, 'image-run.log').text = out
assert rc == 0 : "image-run failed (exit ${rc}):\n${out.readLines().takeRight(30).join('\n')}"
assert out.contains('process uid=65532')
assert out.contains('check ok: GET /health')
return true
