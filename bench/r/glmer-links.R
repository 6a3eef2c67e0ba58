# lme4 1.1-31 fits with the links the goldens do not cover (the engine's PIRLS has one code path per link):
# Rscript bench/r/glmer-links.R > test/fixtures/glmer/links.json
suppressMessages({library(lme4); library(jsonlite)})
cbpp <- read.csv("data/cbpp.csv", stringsAsFactors = TRUE)
cbpp$period <- factor(cbpp$period); cbpp$herd <- factor(cbpp$herd)
gt <- read.csv("data/grouseticks.csv", stringsAsFactors = TRUE)
gt$YEAR <- factor(gt$YEAR); gt$LOCATION <- factor(gt$LOCATION)
cases <- list(
  list(id = "cbpp_cloglog", data = "data/cbpp.csv", formula = "cbind(incidence, size - incidence) ~ period + (1 | herd)", family = "binomial", link = "cloglog", d = cbpp),
  list(id = "cbpp_cauchit", data = "data/cbpp.csv", formula = "cbind(incidence, size - incidence) ~ period + (1 | herd)", family = "binomial", link = "cauchit", d = cbpp),
  list(id = "cbpp_log", data = "data/cbpp.csv", formula = "cbind(incidence, size - incidence) ~ period + (1 | herd)", family = "binomial", link = "log", d = cbpp),
  list(id = "grouse_sqrt", data = "data/grouseticks.csv", formula = "TICKS ~ YEAR + cHEIGHT + (1 | LOCATION)", family = "poisson", link = "sqrt", d = gt),
  list(id = "grouse_identity", data = "data/grouseticks.csv", formula = "TICKS ~ YEAR + (1 | LOCATION)", family = "poisson", link = "identity", d = gt)
)
out <- lapply(cases, function(cs) {
  fam <- get(cs$family)(link = cs$link)
  m <- tryCatch(glmer(as.formula(cs$formula), data = cs$d, family = fam), error = function(e) e)
  if (inherits(m, "error")) return(list(id = cs$id, error = conditionMessage(m)))
  list(id = cs$id, data = cs$data, formula = cs$formula, family = cs$family, link = cs$link,
       minus2logLik = -2 * as.numeric(logLik(m)), theta = unname(getME(m, "theta")), beta = unname(fixef(m)),
       feval = m@optinfo$feval, warnings = I(as.character(unlist(m@optinfo$conv$lme4$messages))))
})
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "\n")
