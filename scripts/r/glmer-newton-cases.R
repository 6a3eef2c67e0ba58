# lme4's fits of models whose optimum is on the boundary (a grouping that explains nothing: its sd is 0) or has a
# correlated by-item slope (with lme4's Hessian-based standard errors, also at the boundary), for glmer's default stage 2 (BFGS on the exact gradient) in test/glmer-newton.test.ts.
# Usage: Rscript scripts/r/glmer-newton-cases.R  → test/fixtures/glmer/newton_cases.json
suppressMessages({library(lme4); library(jsonlite)})
source("scripts/r/read-dataset.R")
cases <- list(
  list(id = "verbagg_gender_sd0", data = "test/fixtures/glmer/VerbAgg.csv", family = "binomial",
       formula = "r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item) + (1 | Gender)"),
  list(id = "cbpp_period_sd0", data = "data/cbpp.csv", family = "binomial",
       formula = "cbind(incidence, size - incidence) ~ period + (1 | herd) + (1 | period)"),
  list(id = "grouse_year_sd0", data = "data/grouseticks.csv", family = "poisson",
       formula = "TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | YEAR)"),
  list(id = "verbagg_item_slope", data = "test/fixtures/glmer/VerbAgg.csv", family = "binomial",
       formula = "r2 ~ Anger + Gender + btype + situ + (1 + Gender | item) + (1 | id)")
)
out <- lapply(cases, function(k) {
  m <- suppressWarnings(suppressMessages(glmer(as.formula(k$formula), read_dataset(k$data), family = k$family)))
  c(k, list(minus2logLik = -2 * as.numeric(logLik(m)), theta = unname(getME(m, "theta")), beta = as.list(fixef(m)),
            se = unname(sqrt(diag(as.matrix(vcov(m))))),
            feval = m@optinfo$feval, messages = I(as.character(unlist(m@optinfo$conv$lme4$messages)))))
})
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "test/fixtures/glmer/newton_cases.json")
