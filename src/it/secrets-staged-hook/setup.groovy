evaluate(new File(projectRoot, 'src/it/common/git-init.groovy'))
// the hook's own `mvn` resolves the plugin under test as this story's build does
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text =
    "-s\n${new File(basedir.parentFile, 'interpolated-settings.xml')}\n-Dmaven.repo.local=${localRepositoryPath}\n"
return true
