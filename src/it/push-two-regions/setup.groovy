evaluate(new File(projectRoot, 'src/it/common/git-init.groovy'))
// a web identity token as GitHub's OIDC provider would issue (moto's STS does not check its signature)
new File(basedir, 'web-identity.jwt').text =
    'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL3Rva2VuLmFjdGlvbnMuZ2l0aHVidXNlcmNvbnRlbnQuY29tIiwiYXVkIjoic3RzLmFtYXpvbmF3cy5jb20iLCJzdWIiOiJyZXBvOmV4YW1wbGUvbXlhcHA6cmVmOnJlZnMvaGVhZHMvbWFpbiJ9.c2lnbmF0dXJl\n'
return true
