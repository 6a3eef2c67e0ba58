# A fit whose finite-difference Hessian is not positive definite, so lme4 1.1-31's vcov() warns and falls back to
# the R_X-based var-cov. In practice lme4 gives this warning on separated or perfectly fitted data; this one is
# both (12 Bernoulli rows that x and f separate, a correlated by-group slope), and lme4 also reports its Hessian
# singular. test/glmer-vcov-fallback.test.ts checks that ours says what lme4 says.
# Usage: Rscript scripts/r/glmer-vcov-fallback.R  → test/fixtures/glmer/vcov_fallback.{csv,json}
suppressMessages({library(lme4); library(jsonlite)})
set.seed(1291)
ng <- sample(c(4, 6, 10, 20), 1); n <- ng * sample(c(3, 5, 10), 1)
g <- factor(rep(1:ng, length.out = n)); x <- rnorm(n); f <- factor(sample(c("a", "b", "c"), n, TRUE))
eta <- -0.5 + 0.5 * x + rnorm(ng, sd = sample(c(0, 0.1, 0.5), 1))[g] + ifelse(f == "c", 0.5, 0)
y <- rbinom(n, 1, plogis(eta))
d <- data.frame(y = y, x = x, f = f, g = paste0("g", g))
write.csv(d, "test/fixtures/glmer/vcov_fallback.csv", row.names = FALSE, quote = FALSE)
d <- read.csv("test/fixtures/glmer/vcov_fallback.csv", stringsAsFactors = TRUE)
form <- "y ~ x + f + (1 + x | g)"
m <- suppressWarnings(suppressMessages(glmer(as.formula(form), d, family = binomial)))
vcovWarnings <- character(0)
V <- withCallingHandlers(vcov(m), warning = function(w) {
  vcovWarnings <<- c(vcovWarnings, conditionMessage(w)); invokeRestart("muffleWarning")
})
out <- list(formula = form, family = "binomial", nrow = nrow(d), minus2logLik = -2 * as.numeric(logLik(m)),
            se = unname(sqrt(diag(as.matrix(V)))), vcovWarnings = I(vcovWarnings),
            messages = I(as.character(unlist(m@optinfo$conv$lme4$messages))))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "test/fixtures/glmer/vcov_fallback.json")
