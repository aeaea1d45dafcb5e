evaluate(new File(projectRoot, 'src/it/common/git-init.groovy'))
return true
