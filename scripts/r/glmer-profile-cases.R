# lme4 1.1-31's confint(gm, method = "profile") for glmer fits, for test/glmer-profile.test.ts.
# For each case: the intervals with lme4's default profile (oldNames = TRUE, level 0.95 and 0.9), the same
# from a profile four times as dense (delta.cutoff = 1/32): their difference is lme4's own spline
# interpolation error, the yardstick of the test's tolerances; the names with oldNames = FALSE; user CPU
# seconds of the default profile. nAGQ = 0 fits cannot be profiled by lme4 (its error is recorded).
# Run from the project root: Rscript scripts/r/glmer-profile-cases.R [id ...]
# (GOLDEN_NO_FINE=1 skips the dense profile: sim_slope_bern's takes lme4 many minutes)
suppressMessages({library(lme4); library(jsonlite)})
options(width = 80, digits = 7)
invisible(Sys.setlocale("LC_CTYPE", "C.UTF-8"))
source("scripts/r/read-dataset.R")
out <- "test/fixtures/glmer-profile"
dir.create(out, showWarnings = FALSE)
cases <- list(
  cbpp_binom = list("data/cbpp.csv", "cbind(incidence, size - incidence) ~ period + (1 | herd)", "binomial", 1L),
  cbpp_binom_agq25 = list("data/cbpp.csv", "cbind(incidence, size - incidence) ~ period + (1 | herd)", "binomial", 25L),
  cbpp_binom_nagq0 = list("data/cbpp.csv", "cbind(incidence, size - incidence) ~ period + (1 | herd)", "binomial", 0L),
  grouseticks_pois = list("data/grouseticks.csv", "TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | INDEX) + (1 | LOCATION)", "poisson", 1L),
  sim_slope_bern = list("test/fixtures/glmer/sim_slope_bern.csv", "y ~ x + cond + (1 + cond | subj) + (1 | item)", "binomial", 1L,
    c(".sig02", ".sig03"))
)
# a fifth element names the parameters to profile (lme4's which): sim_slope_bern's whole profile takes lme4
# many minutes, so its golden holds the correlation and the slope's sd
ids <- commandArgs(trailingOnly = TRUE)
if (length(ids) == 0) ids <- names(cases)
tab <- function(x) lapply(seq_len(nrow(x)), function(i) list(term = rownames(x)[i], lower = unname(x[i, 1]), upper = unname(x[i, 2])))
for (id in ids) {
  cs <- cases[[id]]
  d <- read_dataset(cs[[1]])
  m <- glmer(as.formula(cs[[2]]), data = d, family = cs[[3]], nAGQ = cs[[4]])
  res <- list(id = id, data = cs[[1]], formula = cs[[2]], family = cs[[3]], nAGQ = cs[[4]],
    minus2logLik = -2 * as.numeric(logLik(m)), theta = as.list(getME(m, "theta")), beta = as.list(fixef(m)),
    lme4 = as.character(packageVersion("lme4")))
  if (cs[[4]] == 0L) {
    res$profile_error <- tryCatch({ profile(m); "none" }, error = function(e) conditionMessage(e))
  } else {
    warns <- character(0)
    which <- if (length(cs) >= 5) cs[[5]] else NULL
    res$profile_which <- which
    t <- system.time(pr <- withCallingHandlers(profile(m, which = which), warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") }))
    res$profile_user_seconds <- unname(t[["user.self"]])
    res$profile_points <- as.list(table(pr$.par))
    res$profile_warnings <- I(unique(warns))
    res$confint_profile <- tab(confint(pr))
    res$confint_profile_90 <- tab(confint(pr, level = 0.9))
    res$confint_profile_text <- paste(capture.output(print(confint(pr))), collapse = "\n")
    if (Sys.getenv("GOLDEN_NO_FINE") == "") {
      fine <- suppressWarnings(profile(m, which = which, delta.cutoff = 1 / 32))
      res$confint_profile_fine <- tab(confint(fine))
      res$confint_profile_fine_90 <- tab(confint(fine, level = 0.9))
    }
    res$names_new <- I(rownames(confint(m, method = "Wald", oldNames = FALSE)))
  }
  writeLines(toJSON(res, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null", na = "null"), file.path(out, paste0(id, ".json")))
  cat(id, "done\n")
}
