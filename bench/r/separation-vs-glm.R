# R's glm on the random data sets bench/separation.ts --vs-r writes, beside our separation verdicts.
# Usage: Rscript bench/r/separation-vs-glm.R DATA.csv OURS.csv
# A verdict of R's: glm with epsilon 1e-30 run for 25 and for 200 iterations: without separation Newton
# has settled at a finite β by 25 and the two agree; with it β drifts on between them (by more than 1
# here; R's clamping of μ away from 0 and 1 slows the drift but does not stop it), or has already run
# off to |β| > 1e3 within 25 (complete separation: Newton's steps explode and the deviance freezes at
# the clamped μ, so glm reports convergence at |β| ~ 1e15). Also tabulated: glm's own warning "fitted probabilities numerically 0 or 1 occurred"
# at its defaults, which is a symptom, not a criterion.
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1]); o <- read.csv(args[2])
res <- do.call(rbind, lapply(o$id, function(i) {
  s <- d[d$id == i, ]; s$f <- factor(s$f, levels = c("a", "b", "c"))
  w <- character(0)
  withCallingHandlers(glm(y ~ x1 + x2 + k + f, binomial, data = s),
                      warning = function(e) { w <<- c(w, conditionMessage(e)); invokeRestart("muffleWarning") })
  at <- function(it) coef(suppressWarnings(glm(y ~ x1 + x2 + k + f, binomial, data = s, control = glm.control(maxit = it, epsilon = 1e-30))))
  b25 <- at(25); b200 <- at(200)
  drift <- max(abs(b200 - b25), na.rm = TRUE)
  data.frame(id = i, r_0or1_warning = any(grepl("numerically 0 or 1", w)), r_no_finite_optimum = drift > 1 || max(abs(b200), na.rm = TRUE) > 1e3)
}))
m <- merge(o, res)
cat("data sets:", nrow(m), "\n")
print(table(ours = m$ours, R_no_finite_optimum = m$r_no_finite_optimum))
print(table(ours = m$ours, R_0or1_warning = m$r_0or1_warning))
cat("ours: findings needing several columns in", sum(m$multi > 0), "data sets\n")
