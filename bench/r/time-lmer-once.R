# Times one lme4::lmer fit of a large design: reading, the fit (wall and CPU), evaluations and objective. With
# MODE = eval, times one evaluation of lme4's profiled deviance at theta = 0.7 instead (for designs whose full fit
# does not finish within the bench's time limit).
# Usage: Rscript bench/r/time-lmer-once.R DATA.csv FORMULA REML [fit|eval]   → one JSON line on stdout
suppressMessages({library(lme4); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
path <- args[1]; fstr <- args[2]; REML <- as.logical(args[3]); mode <- if (length(args) >= 4) args[4] else "fit"
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])), "../../scripts/r/read-dataset.R"))
read <- system.time(d <- read_dataset(path))[["elapsed"]]
f <- as.formula(fstr)
if (mode == "eval") {
  setup <- system.time(dev <- lmer(f, d, REML = REML, devFunOnly = TRUE))
  theta <- rep(0.7, length(environment(dev)$pp$theta))
  t <- system.time(value <- dev(theta))
  cat(toJSON(list(mode = mode, read = read, setup = setup[["elapsed"]], evalWall = t[["elapsed"]], evalCpu = t[["user.self"]] + t[["sys.self"]],
                  value = value, lme4 = as.character(packageVersion("lme4"))), auto_unbox = TRUE, digits = NA), "\n")
} else {
  t <- system.time(m <- suppressWarnings(suppressMessages(lmer(f, d, REML = REML))))
  cat(toJSON(list(mode = mode, read = read, wall = t[["elapsed"]], cpu = t[["user.self"]] + t[["sys.self"]], feval = m@optinfo$feval,
                  objective = if (REML) REMLcrit(m) else deviance(m), warnings = I(as.character(unlist(m@optinfo$conv$lme4$messages))),
                  lme4 = as.character(packageVersion("lme4"))), auto_unbox = TRUE, digits = NA), "\n")
}
