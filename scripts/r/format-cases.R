# Fixtures for src/text/format-number.ts: R's format(), formatC(), round(), signif() and format.pval()
# on many vectors. Run: Rscript scripts/r/format-cases.R > test/fixtures/print/format-cases.json
set.seed(20261124)
options(digits = 7, scipen = 0)
num <- function(x) ifelse(is.na(x), "null", sprintf("%.17g", x))
vec <- function(x) paste0("[", paste(num(x), collapse = ","), "]")
str <- function(s) paste0("[", paste0('"', gsub('"', '\\\\"', s), '"', collapse = ","), "]")
cases <- list()
gen <- function() {
  n <- sample(1:6, 1)
  scale <- 10^sample(-8:8, 1)
  x <- rnorm(n) * scale * 10^(sample(-3:3, n, replace = TRUE) * (runif(1) < 0.3))
  if (runif(1) < 0.2) x[sample(n, 1)] <- round(x[1], sample(0:3, 1))
  if (runif(1) < 0.1) x[sample(n, 1)] <- 0
  if (runif(1) < 0.1) x[sample(n, 1)] <- NA
  x
}
out <- character(0)
for (i in 1:600) {
  x <- gen()
  d <- sample(c(1:7, 4, 5), 1)
  out <- c(out, sprintf('{"fn":"format","x":%s,"digits":%d,"out":%s}', vec(x), d, str(format(x, digits = d))))
}
for (i in 1:300) {
  x <- gen(); x <- x[!is.na(x)]; if (!length(x)) next
  d <- sample(1:7, 1)
  out <- c(out, sprintf('{"fn":"formatC","x":%s,"digits":%d,"out":%s}', vec(x), d, str(formatC(x, digits = d))))
  out <- c(out, sprintf('{"fn":"round","x":%s,"digits":%d,"out":%s}', vec(x), d, vec(round(x, d))))
  out <- c(out, sprintf('{"fn":"signif","x":%s,"digits":%d,"out":%s}', vec(x), d, vec(signif(x, d))))
}
for (i in 1:300) {
  p <- 10^(-runif(sample(1:5, 1), 0, 20)); if (runif(1) < 0.3) p[1] <- 1e-20
  d <- sample(1:5, 1)
  out <- c(out, sprintf('{"fn":"format.pval","x":%s,"digits":%d,"out":%s}', vec(p), d, str(format.pval(p, digits = d))))
}
ties <- c(0.5, 1.5, 2.5, 0.125, 0.375, 2.675, 1.005, 0.045, 1234.5, -2.5)
out <- c(out, sprintf('{"fn":"round","x":%s,"digits":%d,"out":%s}', vec(ties), 0, vec(round(ties, 0))))
out <- c(out, sprintf('{"fn":"round","x":%s,"digits":%d,"out":%s}', vec(ties), 2, vec(round(ties, 2))))
out <- c(out, sprintf('{"fn":"format","x":%s,"digits":%d,"out":%s}', vec(c(9996, 1)), 3, str(format(c(9996, 1), digits = 3))))
out <- c(out, sprintf('{"fn":"format","x":%s,"digits":%d,"out":%s}', vec(c(123456789, 0.1)), 7, str(format(c(123456789, 0.1), digits = 7))))
cat("[\n", paste(out, collapse = ",\n"), "\n]\n", sep = "")
