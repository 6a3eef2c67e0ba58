# More glmer goldens on simulated data (issue 10's "Done when"): a binomial cbind(successes, failures)
# response with a by-school slope and classes nested in schools, and Poisson counts with an uncorrelated
# by-subject slope (||) crossed with items. Usage: Rscript scripts/r/glmer-sim-more.R
#   → test/fixtures/glmer/sim_{nested_binom,crossed_pois}.{csv,json}
suppressMessages({library(lme4); library(jsonlite)})
set.seed(20261201)
out <- "test/fixtures/glmer"
save <- function(m, id, formula, data) {
  writeLines(toJSON(list(id = id, formula = formula, data = data, minus2logLik = -2 * as.numeric(logLik(m)),
    theta = as.list(getME(m, "theta")), beta = as.list(fixef(m)), se = as.list(sqrt(diag(as.matrix(vcov(m))))),
    feval = m@optinfo$feval, messages = I(as.character(unlist(m@optinfo$conv$lme4$messages))),
    warnings = I(as.character(unlist(m@optinfo$conv$lme4$warnings))),
    lme4 = as.character(packageVersion("lme4"))), auto_unbox = TRUE, digits = NA, pretty = TRUE),
    file.path(out, paste0(id, ".json")))
}
# 3. binomial, 15 schools × 6 classes × 4 rows, 1–10 trials per row
nsch <- 15; ncl <- 6; nr <- 4
d <- expand.grid(r = 1:nr, class = 1:ncl, school = sprintf("k%02d", 1:nsch))
d$class <- factor(paste0(d$school, "c", d$class)); d$school <- factor(d$school)
d$x <- round(rnorm(nrow(d)), 3)
d$trials <- sample(1:10, nrow(d), TRUE)
S <- matrix(c(0.5, 0.1, 0.1, 0.2), 2)
bs <- matrix(rnorm(2 * nsch), nsch) %*% chol(S)
bc <- rnorm(nsch * ncl, sd = 0.4)
eta <- 0.2 + 0.6 * d$x + bs[as.integer(d$school), 1] + bs[as.integer(d$school), 2] * d$x + bc[as.integer(d$class)]
d$s <- rbinom(nrow(d), d$trials, plogis(eta)); d$f <- d$trials - d$s
d <- d[, c("s", "f", "x", "school", "class")]
write.csv(d, file.path(out, "sim_nested_binom.csv"), row.names = FALSE)
f3 <- "cbind(s, f) ~ x + (1 + x | school) + (1 | class:school)"
m3 <- glmer(as.formula(f3), d, family = binomial)
save(m3, "sim_nested_binom", f3, "sim_nested_binom.csv")
# 4. Poisson, 30 subjects × 20 items
ns <- 30; ni <- 20
p <- expand.grid(item = factor(sprintf("i%02d", 1:ni)), subj = factor(sprintf("s%02d", 1:ns)))
p$x <- round(runif(nrow(p), -1, 1), 3)
bsub <- rnorm(ns, sd = 0.4); bslope <- rnorm(ns, sd = 0.3); bi <- rnorm(ni, sd = 0.3)
p$n <- rpois(nrow(p), exp(0.8 + 0.5 * p$x + bsub[as.integer(p$subj)] + bslope[as.integer(p$subj)] * p$x + bi[as.integer(p$item)]))
p <- p[, c("n", "x", "subj", "item")]
write.csv(p, file.path(out, "sim_crossed_pois.csv"), row.names = FALSE)
f4 <- "n ~ x + (x || subj) + (1 | item)"
m4 <- glmer(as.formula(f4), p, family = poisson)
save(m4, "sim_crossed_pois", f4, "sim_crossed_pois.csv")
