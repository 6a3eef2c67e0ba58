# Times lme4::glmer on one workload, data already loaded (in-process system.time, as the goldens did).
# Usage: Rscript bench/r/time-glmer.R DATA.csv FORMULA FAMILY REPS   → one JSON line on stdout
suppressMessages({library(lme4); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
path <- args[1]; fstr <- args[2]; fam <- args[3]; reps <- as.integer(args[4])
sp <- sub("\\.csv$", ".schema.json", path)
raw <- read.csv(path, colClasses = "character", na.strings = character(0), check.names = FALSE, fileEncoding = "UTF-8-BOM")
d <- if (file.exists(sp)) {
  sch <- fromJSON(sp, simplifyVector = FALSE); out <- list()
  for (col in sch$columns) { v <- raw[[col$name]]; v[v == "" | v == "NA"] <- NA
    out[[col$name]] <- switch(col$type, numeric = as.numeric(v), integer = as.integer(v),
      factor = factor(v, levels = unlist(col$levels)), ordered = factor(v, levels = unlist(col$levels), ordered = TRUE)) }
  as.data.frame(out, check.names = FALSE)
} else as.data.frame(lapply(raw, function(v) { v[v == ""] <- NA; n <- suppressWarnings(as.numeric(v))
  if (all(is.na(v) | !is.na(n))) n else factor(v, levels = sort(unique(v[!is.na(v)]), method = "radix")) }), check.names = FALSE)
f <- as.formula(fstr)
if (reps > 1) m <- suppressWarnings(suppressMessages(glmer(f, d, family = fam)))  # warm-up
# elapsed and CPU (user + system) seconds: under a loaded machine only the CPU times compare
st <- lapply(seq_len(reps), function(i) system.time(m <<- suppressWarnings(suppressMessages(glmer(f, d, family = fam)))))
times <- vapply(st, function(s) s[["elapsed"]], 0)
cpu <- vapply(st, function(s) s[["user.self"]] + s[["sys.self"]], 0)
batch <- NA
if (median(times) < 0.05) batch <- system.time(for (i in 1:50) suppressWarnings(suppressMessages(glmer(f, d, family = fam))))[["elapsed"]] / 50
cat(toJSON(list(median = median(times), min = min(times), times = times, cpuMedian = median(cpu), cpuMin = min(cpu), batchMean = batch, feval = m@optinfo$feval,
                objective = -2 * as.numeric(logLik(m)), warnings = I(as.character(unlist(m@optinfo$conv$lme4$messages))),
                R = as.character(getRversion()), lme4 = as.character(packageVersion("lme4"))), auto_unbox = TRUE, digits = NA), "\n")
