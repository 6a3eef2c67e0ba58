# Reference outputs of lm and lmer (lme4 1.1-31, lmerTest 3.1-3) with prior weights, for
# test/weights.test.ts. Run from the project root: Rscript scripts/r/weights-cases.R
# (writes test/fixtures/weights/*.json). The weights are a fixed pattern of the row number i (1-based):
# w = 1 + ((i - 1) %% 5) / 2, and for "zero" the same with rows 7 and 100 set to 0.
suppressMessages({ library(jsonlite); library(lme4); library(lmerTest) })
options(width = 80, digits = 7, contrasts = c("contr.treatment", "contr.poly"))
invisible(Sys.setlocale("LC_CTYPE", "C.UTF-8"))
sleepstudy <- read.csv("data/sleepstudy.csv")
sleepstudy$Subject <- factor(sleepstudy$Subject)
i <- seq_len(nrow(sleepstudy))
sleepstudy$w <- 1 + ((i - 1) %% 5) / 2
sleepstudy$wz <- sleepstudy$w; sleepstudy$wz[c(7, 100)] <- 0
out <- function(id, x) writeLines(toJSON(x, digits = NA, auto_unbox = TRUE, pretty = TRUE), sprintf("test/fixtures/weights/%s.json", id))
lm_case <- function(id, weights) {
  m <- eval(bquote(lm(Reaction ~ Days, data = sleepstudy, weights = .(as.name(weights)))))
  s <- summary(m)
  out(id, list(
    id = id, formula = "Reaction ~ Days", weights = weights,
    coefficients = unname(coef(m)), se = unname(s$coefficients[, 2]), t = unname(s$coefficients[, 3]),
    p = unname(s$coefficients[, 4]), sigma = s$sigma, df = s$df[2], r_squared = s$r.squared,
    adj_r_squared = s$adj.r.squared, fstatistic = unname(s$fstatistic), logLik = as.numeric(logLik(m)),
    AIC = AIC(m), BIC = BIC(m), deviance = deviance(m), nobs = nobs(m),
    fitted_first10 = unname(fitted(m)[1:10]), residuals_first10 = unname(residuals(m)[1:10]),
    hat_first10 = unname(hatvalues(m)[1:10]),
    summary_text = paste(capture.output(print(s)), collapse = "\n")
  ))
}
lm_case("lm_sleep_w", "w")
lm_case("lm_sleep_wzero", "wz")
lmer_case <- function(id, weights, REML) {
  m <- eval(bquote(lmerTest::lmer(Reaction ~ Days + (Days | Subject), data = sleepstudy, REML = .(REML), weights = .(as.name(weights)))))
  s <- summary(m)
  out(id, list(
    id = id, formula = "Reaction ~ Days + (Days | Subject)", weights = weights, REML = REML,
    objective = unname(if (REML) getME(m, "devcomp")$cmp[["REML"]] else deviance(m)),
    theta = unname(getME(m, "theta")), beta = unname(fixef(m)), sigma = sigma(m),
    se = unname(s$coefficients[, 2]), df = unname(s$coefficients[, 3]), t = unname(s$coefficients[, 4]),
    logLik = as.numeric(logLik(m)), AIC = AIC(m), BIC = BIC(m),
    fitted_first10 = unname(fitted(m)[1:10]), residuals_first10 = unname(residuals(m)[1:10]),
    scaled_residual_quantiles = unname(quantile(residuals(m, type = "pearson", scaled = TRUE))),
    summary_text = paste(capture.output(print(s)), collapse = "\n")
  ))
}
lmer_case("lmer_sleep_w_reml", "w", TRUE)
lmer_case("lmer_sleep_w_ml", "w", FALSE)

ranova_case <- function(id, formula) {
  m <- lmerTest::lmer(as.formula(formula), data = sleepstudy, weights = w)
  r <- as.data.frame(lmerTest::ranova(m))
  out(id, list(id = id, formula = formula, weights = "w", rows = rownames(r), npar = r$npar, logLik = r$logLik,
    LRT = r$LRT, df = r$Df, p = r[["Pr(>Chisq)"]]))
}
ranova_case("ranova_sleep_w_int", "Reaction ~ Days + (1 | Subject)")
ranova_case("ranova_sleep_w_slope", "Reaction ~ Days + (Days | Subject)")
