# A glmer fit on which lme4 1.1-31 warns "Model failed to converge" (a predictor on a scale of 1000s, a
# correlated slope, crossed items), for test/glmer-convergence.test.ts. Run from the project root:
# Rscript scripts/r/glmer-convergence-case.R  (writes test/fixtures/glmer/conv_scaled_bern.{csv,json})
suppressMessages({ library(lme4); library(jsonlite) })
set.seed(1)
ns <- 40; ni <- 30
d <- expand.grid(subj = factor(1:ns), item = factor(1:ni))
d$x <- rnorm(nrow(d)) * 3
d$c <- factor(sample(c("a", "b"), nrow(d), TRUE))
bs <- rnorm(ns, 0, 1); bx <- rnorm(ns, 0, 0.3); bi <- rnorm(ni, 0, 0.7)
eta <- -0.3 + 0.4 * d$x + 0.5 * (d$c == "b") + bs[d$subj] + bx[d$subj] * d$x + bi[d$item]
d$y <- rbinom(nrow(d), 1, plogis(eta))
d$xs <- round(d$x * 1000, 3)
out <- data.frame(y = d$y, xs = d$xs, c = d$c, subj = paste0("s", d$subj), item = paste0("i", d$item))
write.csv(out, "test/fixtures/glmer/conv_scaled_bern.csv", row.names = FALSE, quote = FALSE)
out$subj <- factor(out$subj); out$item <- factor(out$item)
ws <- character(0)
f <- y ~ xs + c + (1 + xs | subj) + (1 | item)
m <- withCallingHandlers(glmer(f, out, family = binomial),
  warning = function(w) { ws <<- c(ws, conditionMessage(w)); invokeRestart("muffleWarning") })
writeLines(toJSON(list(
  id = "conv_scaled_bern", formula = deparse(f), data = "conv_scaled_bern.csv",
  minus2logLik = -2 * as.numeric(logLik(m)), theta = unname(getME(m, "theta")), beta = unname(fixef(m)),
  warnings = ws, conv_messages = m@optinfo$conv$lme4$messages, conv_code = m@optinfo$conv$lme4$code,
  feval = m@optinfo$feval
), digits = NA, auto_unbox = TRUE, pretty = TRUE), "test/fixtures/glmer/conv_scaled_bern.json")
