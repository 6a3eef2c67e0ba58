# References for the optimizers (test/optim-*.test.ts), from R 4.2.2 / lme4 1.1-31 / nloptr 2.0.3
# (NLopt 2.7.1):
#  1. NLopt's BOBYQA through nloptr with the settings of lme4's "nloptwrap" (lme4:::nloptwrap's
#     defaultControl: xtol_abs = 1e-8, ftol_abs = 1e-8, maxeval = 1e5; nloptr's default
#     xtol_rel = 1e-4; NLopt's default initial step) and with tight settings, on analytic test
#     problems (the same expressions are written out in test/fixtures/optim/problems.ts);
#  2. the same on lme4's profiled deviances (REML and ML) of small models; the test rebuilds each
#     deviance in TypeScript from the cross-products saved here (X'X, X'y, Z'Z, Z'X, Z'y, y'y and
#     the pattern of Lambda), and the values of lme4's devfun at a few theta check that rebuild;
#  3. lme4's Nelder_Mead with its default control on the same problems (informational).
# Run from the project root: Rscript scripts/r/optim-cases.R   (writes test/fixtures/optim/)
suppressMessages({library(lme4); library(nloptr); library(jsonlite)})
options(warn = 1)
out_dir <- "test/fixtures/optim"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

num1 <- function(v) {
  if (is.na(v) && !is.nan(v)) return('"NA"')
  if (is.nan(v)) return('"NaN"')
  if (is.infinite(v)) return(if (v > 0) '"Inf"' else '"-Inf"')
  sprintf("%.17g", v)
}
jnum <- function(x) structure(paste0("[", paste(vapply(as.numeric(x), num1, ""), collapse = ","), "]"), class = "json")
jint <- function(x) structure(paste0("[", paste(as.integer(x), collapse = ","), "]"), class = "json")
# a matrix as its row-major values
jmat <- function(m) jnum(t(as.matrix(m)))

lme4_opts <- c(environment(lme4:::nloptwrap)$defaultControl, list(xtol_rel = 1e-4))
tight_opts <- list(algorithm = "NLOPT_LN_BOBYQA", xtol_rel = 1e-10, ftol_abs = 0, maxeval = 1e5)
settings <- list(lme4 = lme4_opts, tight = tight_opts)

# NLopt's BOBYQA; nloptr itself calls f twice at x0 before NLopt starts (checks), so those are
# not counted: `evals` is NLopt's own count (nloptr's `iterations`), as lme4 reports it.
run_nlopt <- function(f, x0, lb, ub, opts) {
  r <- nloptr(x0, f, lb = lb, ub = ub, opts = opts)
  list(x = jnum(r$solution), f = jnum(r$objective), evals = r$iterations, status = r$status, message = r$message)
}
run_nm <- function(f, x0, lb, ub) {
  r <- withCallingHandlers(Nelder_Mead(f, x0, lower = lb, upper = ub),
                           warning = function(w) invokeRestart("muffleWarning"))
  list(x = jnum(r$par), f = jnum(r$fval), evals = r$feval, code = r$NM.result, message = r$message)
}

## 1. analytic problems --------------------------------------------------------------------------
rosenbrock <- function(x) {
  s <- 0
  for (i in seq_len(length(x) - 1)) { a <- x[i + 1] - x[i] * x[i]; b <- 1 - x[i]; s <- s + 100 * a * a + b * b }
  s
}
# convex quadratic with a known constrained optimum: (x - xs)' A (x - xs) + g'(x - xs), A[i,j] =
# 1/(1 + |i - j|) + (i == j); g > 0 where xs sits on a lower bound, g < 0 on an upper bound, else 0
quad_xs <- c(0, 0.5, 2, 1.2, 0)
quad_g <- c(1, 0, -2, 0, 0.5)
quad5 <- function(x) {
  s <- 0
  for (i in 1:5) for (j in 1:5) s <- s + (x[i] - quad_xs[i]) * (1 / (1 + abs(i - j)) + (if (i == j) 1 else 0)) * (x[j] - quad_xs[j])
  for (i in 1:5) s <- s + quad_g[i] * (x[i] - quad_xs[i])
  s
}
square1 <- function(x) (x[1] + 1) * (x[1] + 1)
quartic1 <- function(x) { d <- x[1] - 2; d * d + 0.1 * d * d * d * d }
# Powell's test problem from the BOBYQA distribution: M = n/2 points in the plane, the sum of the
# reciprocals of their pairwise distances (squared distances floored at 1e-6), bounds [-1, 1]
powell_dist <- function(x) {
  n <- length(x); f <- 0
  for (i in seq(4, n, by = 2)) for (j in seq(2, i - 2, by = 2)) {
    t <- (x[i - 1] - x[j - 1]) * (x[i - 1] - x[j - 1]) + (x[i] - x[j]) * (x[i] - x[j])
    f <- f + 1 / sqrt(max(t, 1e-6))
  }
  f
}
powell_start <- function(n) { m <- n / 2; x <- numeric(n); for (j in 1:m) { t <- j * 2 * pi / m; x[2 * j - 1] <- cos(t); x[2 * j] <- sin(t) }; x }
# lme4's deviances are nearly quadratic near the optimum; this one has a narrow curved valley and
# a bound: ((x1 - 1)^2 + 10 (x2 - x1^2)^2 + (x3 - 0.5)^2) on x >= 0 with x3 unbounded above
valley3 <- function(x) { a <- x[1] - 1; b <- x[2] - x[1] * x[1]; c <- x[3] - 0.5; a * a + 10 * b * b + c * c }

fns <- list(rosenbrock = rosenbrock, quad5 = quad5, square1 = square1, quartic1 = quartic1,
            powell_dist = powell_dist, valley3 = valley3)
I <- Inf
problems <- list(
  list(name = "rosenbrock-2", fn = "rosenbrock", x0 = c(-1.2, 1), lower = c(-I, -I), upper = c(I, I), xopt = c(1, 1), fopt = 0),
  list(name = "rosenbrock-4", fn = "rosenbrock", x0 = c(-1.2, 1, -1.2, 1), lower = rep(-I, 4), upper = rep(I, 4), xopt = rep(1, 4), fopt = 0),
  list(name = "rosenbrock-2-box", fn = "rosenbrock", x0 = c(-1.2, 1), lower = c(-2, -2), upper = c(0.5, 2), xopt = c(0.5, 0.25), fopt = 0.25),
  list(name = "rosenbrock-2-lme4start", fn = "rosenbrock", x0 = c(1, 0), lower = c(0, -I), upper = c(I, I), xopt = c(1, 1), fopt = 0),
  list(name = "quad-5-box", fn = "quad5", x0 = rep(1, 5), lower = rep(0, 5), upper = rep(2, 5), xopt = quad_xs, fopt = 0),
  list(name = "square-1-bound", fn = "square1", x0 = 1, lower = 0, upper = I, xopt = 0, fopt = 1),
  list(name = "quartic-1", fn = "quartic1", x0 = 1, lower = 0, upper = I, xopt = 2, fopt = 0),
  list(name = "quartic-1-free", fn = "quartic1", x0 = 1, lower = -I, upper = I, xopt = 2, fopt = 0),
  list(name = "valley-3", fn = "valley3", x0 = c(1, 0, 1), lower = c(0, 0, 0), upper = c(I, I, I), xopt = c(1, 1, 0.5), fopt = 0),
  list(name = "powell-10", fn = "powell_dist", x0 = powell_start(10), lower = rep(-1, 10), upper = rep(1, 10), xopt = NULL, fopt = NULL),
  list(name = "powell-20", fn = "powell_dist", x0 = powell_start(20), lower = rep(-1, 20), upper = rep(1, 20), xopt = NULL, fopt = NULL)
)

out_problems <- list()
for (p in problems) {
  f <- fns[[p$fn]]
  res <- lapply(settings, function(o) run_nlopt(f, p$x0, p$lower, p$upper, o))
  out_problems[[length(out_problems) + 1]] <- list(
    name = p$name, fn = p$fn, x0 = jnum(p$x0), lower = jnum(p$lower), upper = jnum(p$upper),
    optimum = if (is.null(p$xopt)) NULL else list(x = jnum(p$xopt), f = jnum(p$fopt)),
    nlopt = res, nelderMead = run_nm(f, p$x0, p$lower, p$upper))
  cat(sprintf("%-24s lme4 %4d  tight %4d  NM %5d\n", p$name, res$lme4$evals, res$tight$evals, out_problems[[length(out_problems)]]$nelderMead$evals))
}

## 2. lme4's profiled deviances ------------------------------------------------------------------
sim_data <- function(q, ngroups, nper, seed) {
  set.seed(seed)
  g <- factor(rep(seq_len(ngroups), each = nper))
  X <- cbind(1, matrix(rnorm(ngroups * nper * (q - 1)), ncol = q - 1))
  colnames(X) <- c("(Intercept)", paste0("x", seq_len(q - 1)))
  L <- matrix(0.4, q, q); diag(L) <- 1; L[upper.tri(L)] <- 0
  b <- matrix(rnorm(ngroups * q), ngroups) %*% t(L)
  y <- drop(X %*% seq_len(q)) + rowSums(X * b[as.integer(g), ]) + rnorm(ngroups * nper)
  data.frame(y = y, X[, -1, drop = FALSE], g = g)
}
sim3 <- sim_data(3, 20, 8, 20240601)
sim4 <- sim_data(4, 25, 10, 20240602)
models <- list(
  list(name = "dyestuff-reml", formula = Yield ~ 1 + (1 | Batch), data = Dyestuff, REML = TRUE),
  list(name = "dyestuff2-reml", formula = Yield ~ 1 + (1 | Batch), data = Dyestuff2, REML = TRUE),
  list(name = "sleepstudy-intercept-reml", formula = Reaction ~ Days + (1 | Subject), data = sleepstudy, REML = TRUE),
  list(name = "sleepstudy-slope-reml", formula = Reaction ~ Days + (Days | Subject), data = sleepstudy, REML = TRUE),
  list(name = "sleepstudy-slope-ml", formula = Reaction ~ Days + (Days | Subject), data = sleepstudy, REML = FALSE),
  list(name = "sleepstudy-uncorrelated-reml", formula = Reaction ~ Days + (Days || Subject), data = sleepstudy, REML = TRUE),
  list(name = "penicillin-reml", formula = diameter ~ 1 + (1 | plate) + (1 | sample), data = Penicillin, REML = TRUE),
  list(name = "pastes-reml", formula = strength ~ 1 + (1 | batch / cask), data = Pastes, REML = TRUE),
  list(name = "sim-q3-reml", formula = y ~ x1 + x2 + (x1 + x2 | g), data = sim3, REML = TRUE),
  list(name = "sim-q4-ml", formula = y ~ x1 + x2 + x3 + (x1 + x2 + x3 | g), data = sim4, REML = FALSE)
)

out_dev <- list()
for (m in models) {
  lf <- lFormula(m$formula, m$data, REML = m$REML)
  devfun <- do.call(mkLmerDevfun, lf)
  X <- lf$X; Zt <- lf$reTrms$Zt; y <- model.response(lf$fr)
  Lt <- lf$reTrms$Lambdat
  j <- rep(seq_len(ncol(Lt)), diff(Lt@p)) - 1L
  # lmer's start: pp$theta after mkLmerDevfun (which, for models whose every term is (1 | f), starts
  # from sqrt(var(ave(y, f)) / residual variance)); `+ 0` copies it, since lme4 updates theta in place
  theta0 <- environment(devfun)$pp$theta + 0; lower <- lf$reTrms$lower + 0
  fit <- lmer(m$formula, m$data, REML = m$REML)
  nl <- run_nlopt(devfun, theta0, lower, rep(Inf, length(theta0)), lme4_opts)
  tight <- run_nlopt(devfun, theta0, lower, rep(Inf, length(theta0)), tight_opts)
  set.seed(1)
  checks <- lapply(1:3, function(k) {
    th <- if (k == 1) theta0 else theta0 + runif(length(theta0), 0, 1) * ifelse(lower == 0, 1, 0.5)
    list(theta = jnum(th), deviance = jnum(devfun(th)))
  })
  out_dev[[m$name]] <- list(
    formula = paste(deparse(m$formula), collapse = " "), REML = m$REML,
    n = nrow(X), p = ncol(X), q = nrow(Zt),
    XtX = jmat(crossprod(X)), Xty = jnum(crossprod(X, y)), ZtZ = jmat(as.matrix(tcrossprod(Zt))),
    ZtX = jmat(as.matrix(Zt %*% X)), Zty = jnum(as.numeric(Zt %*% y)), yty = jnum(sum(y * y)),
    lambdatRow = jint(Lt@i), lambdatCol = jint(j), lambdatTheta = jint(lf$reTrms$Lind - 1L),
    checks = checks)
  out_problems[[length(out_problems) + 1]] <- list(
    name = m$name, fn = "deviance", deviance = m$name, x0 = jnum(theta0), lower = jnum(lower),
    upper = jnum(rep(Inf, length(theta0))),
    optimum = list(x = tight$x, f = tight$f),
    lmer = list(theta = jnum(getME(fit, "theta")), deviance = jnum(if (m$REML) REMLcrit(fit) else deviance(fit)), evals = fit@optinfo$feval),
    nlopt = list(lme4 = nl, tight = tight),
    nelderMead = run_nm(devfun, theta0, lower, rep(Inf, length(theta0))))
  cat(sprintf("%-28s lmer %4d  nlopt %4d  tight %4d  NM %5d\n", m$name, fit@optinfo$feval, nl$evals, tight$evals,
              out_problems[[length(out_problems)]]$nelderMead$evals))
}

meta <- list(R = R.version.string, lme4 = as.character(packageVersion("lme4")),
             nloptr = as.character(packageVersion("nloptr")), NLopt = "2.7.1",
             settings = list(lme4 = "xtol_abs = 1e-8, ftol_abs = 1e-8, maxeval = 1e5, xtol_rel = 1e-4 (lme4 nloptwrap + nloptr default)",
                             tight = "xtol_rel = 1e-10, xtol_abs = 0, ftol_abs = 0, maxeval = 1e5"))
writeLines(toJSON(list(meta = meta, problems = out_problems, deviances = out_dev), auto_unbox = TRUE,
                  json_verbatim = TRUE, pretty = TRUE, null = "null", digits = NA),
           file.path(out_dir, "nlopt-cases.json"))
