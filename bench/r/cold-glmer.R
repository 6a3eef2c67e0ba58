# The R side of a whole-process glmer comparison: what `lmm fit ... --family F` does, as one Rscript process:
# load lme4, read the data (its schema's factors), fit by glmer and print its summary.
# Usage: Rscript bench/r/cold-glmer.R DATA.csv FORMULA FAMILY
suppressMessages(library(lme4))
args <- commandArgs(trailingOnly = TRUE)
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])), "../../scripts/r/read-dataset.R"))
d <- read_dataset(args[1])
print(summary(glmer(as.formula(args[2]), d, family = args[3])))
