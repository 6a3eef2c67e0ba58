# The model contract on sleepstudy (test/model-contract.test.ts): R's print(m), vcov, logLik/AIC/BIC, and
# broom's / broom.mixed's tidy and glance columns computed from coef(summary(m)) and VarCorr(m) (so the
# fixture needs neither broom nor broom.mixed installed), plus print(VarCorr(m)).
# Run from the project root: Rscript scripts/r/contract-cases.R
suppressMessages({library(lmerTest); library(jsonlite)})
options(width = 80, digits = 7)
invisible(Sys.setlocale("LC_CTYPE", "C.UTF-8"))
sch <- fromJSON("data/sleepstudy.schema.json", simplifyVector = FALSE)
sleepstudy <- read.csv("data/sleepstudy.csv")
sleepstudy$Subject <- factor(sleepstudy$Subject, levels = unlist(sch$columns[[3]]$levels))
txt <- function(x) paste(capture.output(print(x)), collapse = "\n")
mat <- function(V) list(names = rownames(V), values = unname(lapply(seq_len(nrow(V)), function(i) unname(V[i, ]))))

fm <- lm(Reaction ~ Days, data = sleepstudy)
s <- summary(fm)
cf <- coef(s)
f <- s$fstatistic
lmOut <- list(
  print_text = txt(fm),
  tidy = lapply(seq_len(nrow(cf)), function(i) list(term = rownames(cf)[i], estimate = cf[i, 1], std.error = cf[i, 2],
                                                  statistic = cf[i, 3], p.value = cf[i, 4])),
  glance = list(r.squared = s$r.squared, adj.r.squared = s$adj.r.squared, sigma = s$sigma, statistic = unname(f[1]),
                p.value = unname(pf(f[1], f[2], f[3], lower.tail = FALSE)), df = unname(f[2]),
                logLik = as.numeric(logLik(fm)), AIC = AIC(fm), BIC = BIC(fm), deviance = deviance(fm),
                df.residual = df.residual(fm), nobs = nobs(fm)),
  vcov = mat(vcov(fm)), coef = as.list(coef(fm)),
  fitted_first10 = unname(fitted(fm)[1:10]), residuals_first10 = unname(residuals(fm)[1:10]),
  # broom's augment columns .hat, .sigma, .cooksd, .std.resid
  hat_first10 = unname(hatvalues(fm)[1:10]), sigma_first10 = unname(influence(fm)$sigma[1:10]),
  cooksd_first10 = unname(cooks.distance(fm)[1:10]), std_resid_first10 = unname(rstandard(fm)[1:10])
)

m <- lmer(Reaction ~ Days + (Days | Subject), data = sleepstudy)
cs <- coef(summary(m))
vc <- as.data.frame(VarCorr(m))
ranpars <- lapply(seq_len(nrow(vc)), function(i) {
  r <- vc[i, ]
  grp <- r$grp
  term <- if (grp == "Residual") "sd__Observation" else if (is.na(r$var2)) paste0("sd__", r$var1) else paste0("cor__", r$var1, ".", r$var2)
  list(effect = "ran_pars", group = grp, term = term, estimate = r$sdcor)
})
fixed <- lapply(seq_len(nrow(cs)), function(i) list(effect = "fixed", group = NULL, term = rownames(cs)[i], estimate = cs[i, 1],
                                                   std.error = cs[i, 2], statistic = cs[i, 4], df = cs[i, 3], p.value = cs[i, 5]))
lmerOut <- list(
  print_text = txt(m),
  varcorr_text = txt(VarCorr(m)),
  tidy = c(fixed, ranpars),
  glance = list(nobs = nobs(m), sigma = sigma(m), logLik = as.numeric(logLik(m)), AIC = AIC(m), BIC = BIC(m),
                REMLcrit = REMLcrit(m), df.residual = df.residual(m)),
  vcov = mat(as.matrix(vcov(m))), fixef = as.list(fixef(m)),
  fitted_first10 = unname(fitted(m)[1:10]), residuals_first10 = unname(residuals(m)[1:10]),
  fixed_first10 = unname(predict(m, re.form = NA)[1:10])
)
# print(m) of an ML fit (the AIC table) and of a singular fit (the optimizer's one-line report)
mML <- lmer(Reaction ~ Days + (Days | Subject), data = sleepstudy, REML = FALSE)
Dyestuff2 <- read.csv("data/Dyestuff2.csv")
Dyestuff2$Batch <- factor(Dyestuff2$Batch)
mSing <- lmer(Yield ~ 1 + (1 | Batch), data = Dyestuff2)
prints <- list(sleep_ml = txt(mML), dyestuff2_singular = txt(mSing))
writeLines(toJSON(list(lm = lmOut, lmer = lmerOut, prints = prints), auto_unbox = TRUE, digits = NA, na = "null", null = "null", pretty = TRUE),
           "test/fixtures/contract/sleepstudy.json")
