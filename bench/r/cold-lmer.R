# The R side of the whole-process comparison (bench/run.ts --cold): what `lmm fit` does, as one Rscript
# process: load lmerTest, read the data, fit by lmer and print lmerTest's summary.
# Usage: Rscript bench/r/cold-lmer.R DATA.csv FORMULA REML
suppressMessages(library(lmerTest))
args <- commandArgs(trailingOnly = TRUE)
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])), "../../scripts/r/read-dataset.R"))
d <- read_dataset(args[1])
print(summary(lmer(as.formula(args[2]), d, REML = as.logical(args[3]))))
