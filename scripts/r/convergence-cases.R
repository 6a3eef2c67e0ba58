# References for lme4's convergence checks (test/convergence-*.test.ts), from R 4.2.2 / lme4 1.1-31:
#  1. lme4:::deriv12 on analytic functions (the same expressions are written out in the test);
#  2. lme4:::checkConv on hand-made gradients / Hessians that reach each of its branches, with the
#     warnings and messages it emits and the list it returns (@optinfo$conv$lme4);
#  3. real lmer fits whose checks say something: an optimizer stopped early (maxeval), and sleepstudy
#     replicated K times (the deviance is exactly K times sleepstudy's, so the optimum is the same and
#     converged, yet the absolute gradient tolerance fails).
# Run from the project root: Rscript scripts/r/convergence-cases.R   (writes test/fixtures/convergence/)
suppressMessages({library(lme4); library(jsonlite)})
options(warn = 1)
out_dir <- "test/fixtures/convergence"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

# numbers at full precision (%.17g); non-finite as the strings "Inf", "-Inf", "NaN", "NA"
num1 <- function(v) {
  if (is.na(v) && !is.nan(v)) return('"NA"')
  if (is.nan(v)) return('"NaN"')
  if (is.infinite(v)) return(if (v > 0) '"Inf"' else '"-Inf"')
  sprintf("%.17g", v)
}
jnum <- function(x) structure(paste0("[", paste(vapply(as.numeric(x), num1, ""), collapse = ","), "]"), class = "json")
jmat <- function(m) structure(paste0("[", paste(apply(m, 1, function(r) jnum(r)), collapse = ","), "]"), class = "json")
write_json_file <- function(x, name) {
  writeLines(toJSON(x, auto_unbox = TRUE, json_verbatim = TRUE, pretty = TRUE, null = "null"), file.path(out_dir, name))
}
# evaluate, collecting warnings and messages as the console shows them (messages without the newline)
capture <- function(expr) {
  ws <- character(0); ms <- character(0)
  value <- withCallingHandlers(expr,
    warning = function(w) { ws <<- c(ws, conditionMessage(w)); invokeRestart("muffleWarning") },
    message = function(m) { ms <<- c(ms, sub("\n$", "", conditionMessage(m))); invokeRestart("muffleMessage") })
  list(value = value, warnings = ws, messages = ms)
}
meta <- list(R = R.version.string, lme4 = as.character(packageVersion("lme4")))

## 1. deriv12 ------------------------------------------------------------------------------------
fns <- list(
  quad2 = function(x) 3 * x[1] * x[1] + 2 * x[1] * x[2] + 5 * x[2] * x[2] - x[1] + 0.5 * x[2] + 7,
  rosen = function(x) 100 * (x[2] - x[1] * x[1]) * (x[2] - x[1] * x[1]) + (1 - x[1]) * (1 - x[1]),
  explog3 = function(x) exp(x[1]) * log(1 + x[2] * x[2]) + x[3] * x[1] - sin(x[3]) * x[2],
  big = function(x) 3e5 + 1e4 * (x[1] - 0.3) * (x[1] - 0.3) + 2e3 * x[1] * x[2] + 5e3 * x[2] * x[2] + 0.05 * x[2],
  even1 = function(x) 20 * x[1] * x[1] + 3 * x[1] * x[1] * x[1] * x[1] + 100
)
deriv_cases <- list(
  list(id = "quad2", fn = "quad2", x = c(0.3, -0.2)),
  list(id = "rosen", fn = "rosen", x = c(0.9, 1.1)),
  list(id = "explog3", fn = "explog3", x = c(0.25, -0.7, 1.3)),
  list(id = "big", fn = "big", x = c(0.31, -0.05)),
  list(id = "even1_at_zero", fn = "even1", x = 0),
  list(id = "quad2_lower_near", fn = "quad2", x = c(5e-5, 0.4), lower = c(0, NA)),
  list(id = "quad2_upper_near", fn = "quad2", x = c(0.3, 0.99995), upper = c(NA, 1)),
  list(id = "quad2_delta", fn = "quad2", x = c(0.3, -0.2), delta = 1e-3)
)
deriv_out <- lapply(deriv_cases, function(cs) {
  args <- list(fun = fns[[cs$fn]], x = cs$x)
  if (!is.null(cs$delta)) args$delta <- cs$delta
  if (!is.null(cs$lower)) args$lower <- cs$lower
  if (!is.null(cs$upper)) args$upper <- cs$upper
  d <- do.call(lme4:::deriv12, args)
  list(id = cs$id, fn = cs$fn, x = jnum(cs$x), delta = if (is.null(cs$delta)) 1e-4 else cs$delta,
       lower = if (is.null(cs$lower)) NULL else jnum(cs$lower),
       upper = if (is.null(cs$upper)) NULL else jnum(cs$upper),
       fx = jnum(fns[[cs$fn]](cs$x)), gradient = jnum(d$gradient), hessian = jmat(d$Hessian))
})
write_json_file(list(meta = meta, note = "lme4:::deriv12(fun, x[, delta, lower, upper]); NA bounds = none", cases = deriv_out), "deriv12.json")

## 2. checkConv on given derivatives ------------------------------------------------------------
ctrl <- lmerControl()$checkConv
conv_cases <- list(
  ok = list(g = c(1e-4, -2e-4), H = matrix(c(40, 5, 5, 800), 2), theta = c(0.9, 0.2), lower = c(0, 0)),
  singular = list(g = c(0.5, 3), H = matrix(c(40, 5, 5, 800), 2), theta = c(0.9, 5e-5), lower = c(0, 0)),
  singular_offdiag_negative = list(g = c(0.5, 3, 1), H = diag(3), theta = c(0.9, -0.5, 0.3), lower = c(0, -Inf, 0)),
  grad_fail = list(g = c(0.01, 0.2), H = matrix(c(40, 5, 5, 800), 2), theta = c(0.9, 0.2), lower = c(0, 0)),
  grad_fail_second = list(g = c(1e-6, 0.2), H = matrix(c(1e-2, 0, 0, 1e-3), 2) * 1e3, theta = c(0.9, 0.2), lower = c(0, -Inf)),
  grad_large_scaled_ok = list(g = c(0.5, -0.3), H = matrix(c(5e5, 1e3, 1e3, 2e5), 2), theta = c(0.3, 0.4), lower = c(0, 0)),
  grad_small_abs_ok = list(g = c(1e-3, 1e-3), H = matrix(c(1e-4, 0, 0, 1e-4), 2) * 10, theta = c(0.3, 0.4), lower = c(0, 0)),
  grad_format = list(g = c(0.0034512345), H = matrix(1, 1), theta = 1, lower = 0),
  grad_format_exp = list(g = c(123456789), H = matrix(1, 1), theta = 1, lower = 0),
  negative_eigen = list(g = c(1e-5, 1e-5), H = matrix(c(10, 12, 12, 10), 2), theta = c(0.9, 0.2), lower = c(0, 0)),
  negative_eigen_two = list(g = c(1e-5, 1e-5, 0), H = diag(c(-1, -2, 3)), theta = c(0.9, 0.2, 1), lower = c(0, -Inf, 0)),
  negative_eigen_grad = list(g = c(0.1, 0.1), H = matrix(c(10, 12, 12, 10), 2), theta = c(0.9, 0.2), lower = c(0, 0)),
  zero_eigen = list(g = c(1e-5, 1e-5), H = matrix(c(1, 1, 1, 1), 2), theta = c(0.9, 0.2), lower = c(0, 0)),
  tiny_negative_eigen = list(g = c(1e-5, 1e-5), H = diag(c(5, -5e-7)), theta = c(0.9, 0.2), lower = c(0, 0)),
  large_eigen = list(g = c(1e-5, 1e-5), H = diag(c(2e6, 1e2)), theta = c(0.9, 0.2), lower = c(0, 0)),
  large_eigen_ratio = list(g = c(1e-5, 1e-5), H = diag(c(2e6, 1)), theta = c(0.9, 0.2), lower = c(0, 0)),
  eigen_ratio = list(g = c(1e-5, 1e-5), H = diag(c(1e3, 1e-4)), theta = c(0.9, 0.2), lower = c(0, 0)),
  grad_and_ratio = list(g = c(0.1, 1e-5), H = diag(c(1e3, 1e-4)), theta = c(0.9, 0.2), lower = c(0, 0)),
  ill_conditioned = list(g = c(1e-5, 1e-5), H = diag(c(1, 1e-34)), theta = c(0.9, 0.2), lower = c(0, 0)),
  na_gradient = list(g = c(NaN, 1), H = diag(2), theta = c(0.9, 0.2), lower = c(0, 0)),
  inf_hessian = list(g = c(1e-5, 1e-5), H = matrix(c(Inf, 0, 0, 1), 2), theta = c(0.9, 0.2), lower = c(0, 0)),
  nan_hessian_offdiag = list(g = c(1e-5, 1e-5), H = matrix(c(2, NaN, NaN, 1), 2), theta = c(0.9, 0.2), lower = c(0, 0))
)
conv_out <- lapply(names(conv_cases), function(id) {
  cs <- conv_cases[[id]]
  r <- capture(lme4:::checkConv(list(gradient = cs$g, Hessian = cs$H), cs$theta, ctrl = ctrl, lbound = cs$lower))
  list(id = id, gradient = jnum(cs$g), hessian = jmat(cs$H), theta = jnum(cs$theta), lower = jnum(cs$lower),
       warnings = I(r$warnings), messages = I(r$messages),
       code = if (is.null(r$value$code)) NULL else jnum(r$value$code),
       lme4_messages = I(as.character(unlist(r$value$messages))))
})
write_json_file(list(meta = meta, note = "lme4:::checkConv(list(gradient, Hessian), theta, lmerControl()$checkConv, lower)", cases = conv_out), "checkconv.json")

## 3. real fits ---------------------------------------------------------------------------------
sleep <- read.csv("data/sleepstudy.csv")
sleep$Subject <- factor(sleep$Subject)
replicate_sleep <- function(K) {
  do.call(rbind, lapply(seq_len(K), function(k) transform(sleep, Subject = paste0(Subject, "_", k))))
}
fit_case <- function(id, formula, data, REML, K = 1, control = lmerControl()) {
  r <- capture(lmer(formula, data = data, REML = REML, control = control))
  m <- r$value
  oi <- m@optinfo
  dev <- if (REML) REMLcrit(m) else deviance(m)
  list(id = id, formula = deparse(formula), REML = REML, replicates = K,
       control = if (is.null(control$optCtrl$maxeval)) NULL else list(maxeval = control$optCtrl$maxeval),
       nobs = nobs(m), theta = jnum(getME(m, "theta")), lower = jnum(getME(m, "lower")),
       par = jnum(oi$val), objective = jnum(dev), feval = oi$feval,
       derivs = list(gradient = jnum(oi$derivs$gradient), hessian = jmat(oi$derivs$Hessian)),
       fit_warnings = I(r$warnings), fit_messages = I(r$messages),
       lme4_code = if (is.null(oi$conv$lme4$code)) NULL else jnum(oi$conv$lme4$code),
       lme4_messages = I(as.character(unlist(oi$conv$lme4$messages))),
       optimizer_warnings = I(as.character(unlist(oi$warnings))))
}
f_slope <- Reaction ~ Days + (Days | Subject)
fits <- list(
  fit_case("sleep_slope_maxeval12", f_slope, sleep, TRUE, control = lmerControl(optCtrl = list(maxeval = 12))),
  fit_case("sleep_slope_maxeval20_ml", f_slope, sleep, FALSE, control = lmerControl(optCtrl = list(maxeval = 20))),
  fit_case("sleep_slope_x50_ml", f_slope, replicate_sleep(50), FALSE, K = 50),
  fit_case("sleep_slope_x200_ml", f_slope, replicate_sleep(200), FALSE, K = 200)
)
write_json_file(list(meta = meta,
  note = paste("lmer fits on data/sleepstudy.csv; replicates K: the data stacked K times with Subject relabelled",
               "(Subject_k), so the deviance is K times that of sleepstudy; par = @optinfo$val, derivs = @optinfo$derivs"),
  cases = fits), "fits.json")
cat("wrote", out_dir, "\n")
