/**
 * GitHub Actions: the step summary ({@code GITHUB_STEP_SUMMARY}), workflow-command annotations ({@code ::error file=…})
 * and the repository lines findings point at ({@link dev.imagegate.github.SourceLocations}). Knows nothing of Maven:
 * the mojos hand in the lines as plain data.
 */
package dev.imagegate.github;
