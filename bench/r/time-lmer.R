# Times lme4::lmer on one workload, data already loaded (in-process system.time, as the goldens did).
# Usage: Rscript bench/r/time-lmer.R DATA.csv FORMULA REML REPS   → one JSON line on stdout
suppressMessages({library(lme4); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
path <- args[1]; fstr <- args[2]; REML <- as.logical(args[3]); reps <- as.integer(args[4])
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])), "../../scripts/r/read-dataset.R"))
d <- read_dataset(path)
f <- as.formula(fstr)
m <- suppressWarnings(suppressMessages(lmer(f, d, REML = REML)))  # warm-up
times <- vapply(seq_len(reps), function(i) system.time(m <<- suppressWarnings(suppressMessages(lmer(f, d, REML = REML))))[["elapsed"]], 0)
batch <- NA
if (median(times) < 0.05) batch <- system.time(for (i in 1:50) suppressWarnings(suppressMessages(lmer(f, d, REML = REML))))[["elapsed"]] / 50
cat(toJSON(list(median = median(times), times = times, batchMean = batch, feval = m@optinfo$feval,
                objective = if (REML) REMLcrit(m) else deviance(m), warnings = I(as.character(unlist(m@optinfo$conv$lme4$messages))),
                R = as.character(getRversion()), lme4 = as.character(packageVersion("lme4"))), auto_unbox = TRUE, digits = NA), "\n")
