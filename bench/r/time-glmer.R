# Times lme4::glmer on one workload, data already loaded (in-process system.time, as the goldens did).
# Usage: Rscript bench/r/time-glmer.R DATA.csv FORMULA FAMILY REPS [CONTROL]   → one JSON line on stdout
# CONTROL: "default" (glmerControl()'s bobyqa then Nelder_Mead) or "bobyqa" (glmerControl(optimizer = "bobyqa"))
suppressMessages({library(lme4); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
path <- args[1]; fstr <- args[2]; fam <- args[3]; reps <- as.integer(args[4])
control <- if (length(args) >= 5) args[5] else "default"
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])), "../../scripts/r/read-dataset.R"))
d <- read_dataset(path)
f <- as.formula(fstr)
ctrl <- if (control == "bobyqa") glmerControl(optimizer = "bobyqa") else glmerControl()
fit <- function() suppressWarnings(suppressMessages(glmer(f, d, family = fam, control = ctrl)))
if (reps > 1) m <- fit()  # warm-up
# elapsed and CPU (user + system) seconds: under a loaded machine only the CPU times compare
st <- lapply(seq_len(reps), function(i) system.time(m <<- fit()))
times <- vapply(st, function(s) s[["elapsed"]], 0)
cpu <- vapply(st, function(s) s[["user.self"]] + s[["sys.self"]], 0)
batch <- NA
if (median(times) < 0.05) batch <- system.time(for (i in 1:50) fit())[["elapsed"]] / 50
cat(toJSON(list(control = control, median = median(times), min = min(times), times = times, cpuMedian = median(cpu), cpuMin = min(cpu), batchMean = batch, feval = m@optinfo$feval,
                objective = -2 * as.numeric(logLik(m)), warnings = I(as.character(unlist(m@optinfo$conv$lme4$messages))),
                R = as.character(getRversion()), lme4 = as.character(packageVersion("lme4"))), auto_unbox = TRUE, digits = NA), "\n")
