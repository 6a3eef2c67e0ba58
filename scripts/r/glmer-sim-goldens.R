# Goldens for glmer on simulated data the shared references lack: a correlated by-subject slope on a
# Bernoulli response (crossed with items) and a Poisson with an offset and nested groups.
# Usage: Rscript scripts/r/glmer-sim-goldens.R   → test/fixtures/glmer/sim_*.{csv,json}
suppressMessages({library(lme4); library(jsonlite)})
set.seed(20261130)
out <- "test/fixtures/glmer"
# 1. Bernoulli, (1 + cond | subj) + (1 | item): 60 subjects × 40 items, 2400 rows
ns <- 60; ni <- 40
d <- expand.grid(item = factor(sprintf("i%02d", 1:ni)), subj = factor(sprintf("s%02d", 1:ns)))
d$cond <- factor(ifelse(runif(nrow(d)) < 0.5, "A", "B"))
d$x <- round(rnorm(nrow(d)), 4)
S <- matrix(c(1, 0.4 * 0.6, 0.4 * 0.6, 0.36), 2)
bs <- matrix(rnorm(2 * ns), ns) %*% chol(S)
bi <- rnorm(ni, sd = 0.5)
eta <- -0.3 + 0.5 * d$x - 0.7 * (d$cond == "B") + bs[as.integer(d$subj), 1] + bs[as.integer(d$subj), 2] * (d$cond == "B") + bi[as.integer(d$item)]
d$y <- rbinom(nrow(d), 1, plogis(eta))
d <- d[, c("y", "x", "cond", "subj", "item")]
write.csv(d, file.path(out, "sim_slope_bern.csv"), row.names = FALSE)
m <- glmer(y ~ x + cond + (1 + cond | subj) + (1 | item), d, family = binomial)
save <- function(m, id, formula, data) {
  writeLines(toJSON(list(id = id, formula = formula, data = data, minus2logLik = -2 * as.numeric(logLik(m)),
    theta = as.list(getME(m, "theta")), beta = as.list(fixef(m)), se = as.list(sqrt(diag(as.matrix(vcov(m))))),
    feval = m@optinfo$feval, messages = I(as.character(unlist(m@optinfo$conv$lme4$messages))),
    lme4 = as.character(packageVersion("lme4"))), auto_unbox = TRUE, digits = NA, pretty = TRUE),
    file.path(out, paste0(id, ".json")))
}
save(m, "sim_slope_bern", "y ~ x + cond + (1 + cond | subj) + (1 | item)", "sim_slope_bern.csv")
# 2. Poisson counts with an exposure offset, sites nested in regions: 12 regions × 8 sites × 6 visits
nr <- 12; nsite <- 8; nv <- 6
p <- expand.grid(visit = 1:nv, site = 1:nsite, region = sprintf("r%02d", 1:nr))
p$site <- factor(paste0(p$region, "s", p$site)); p$region <- factor(p$region)
p$hours <- round(runif(nrow(p), 1, 10), 2)
p$temp <- round(rnorm(nrow(p), 15, 5), 1)
br <- rnorm(nr, sd = 0.5); bsite <- rnorm(nr * nsite, sd = 0.3)
lam <- exp(-1 + 0.04 * p$temp + br[as.integer(p$region)] + bsite[as.integer(p$site)]) * p$hours
p$n <- rpois(nrow(p), lam)
p <- p[, c("n", "temp", "hours", "region", "site")]
write.csv(p, file.path(out, "sim_offset_pois.csv"), row.names = FALSE)
m2 <- glmer(n ~ temp + offset(log(hours)) + (1 | region/site), p, family = poisson)
save(m2, "sim_offset_pois", "n ~ temp + offset(log(hours)) + (1 | region/site)", "sim_offset_pois.csv")
