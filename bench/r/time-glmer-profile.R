# lme4's profile of one glmer fit, for bench/glmer-profile.ts: user CPU seconds of profile(m) (the fit
# excluded), the points it evaluated and confint's bounds, as one JSON line.
# Usage: Rscript bench/r/time-glmer-profile.R DATA.csv FORMULA FAMILY NAGQ
suppressMessages({library(lme4); library(jsonlite)})
source("scripts/r/read-dataset.R")
a <- commandArgs(trailingOnly = TRUE)
d <- read_dataset(a[1])
m <- glmer(as.formula(a[2]), data = d, family = a[3], nAGQ = as.integer(a[4]))
t <- system.time(pr <- suppressWarnings(profile(m)))
ci <- confint(pr)
cat(toJSON(list(user = unname(t[["user.self"]]), points = nrow(pr), names = rownames(ci), lower = unname(ci[, 1]), upper = unname(ci[, 2])), digits = NA, auto_unbox = TRUE), "\n")
