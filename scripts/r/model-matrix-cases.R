# Term labels (terms()) and model matrices (model.matrix()) of many formulas on a small data frame with
# numeric and factor columns, for test/formula-design.test.ts.
# Run from the project root: Rscript scripts/r/model-matrix-cases.R
suppressMessages(library(jsonlite))
options(contrasts = c("contr.treatment", "contr.poly"))
set.seed(7)
n <- 24
d <- data.frame(
  y = round(rnorm(n), 4), x = round(runif(n, 1, 5), 3), z = round(rnorm(n), 3),
  a = factor(rep(c("p", "q", "r"), 8)), b = factor(rep(c("u", "v"), each = 12)),
  c = factor(rep(c("k", "l", "m", "n"), 6), levels = c("n", "m", "l", "k")),
  o = factor(rep(c("lo", "mid", "hi"), length.out = n), levels = c("lo", "mid", "hi"), ordered = TRUE))
forms <- c("y ~ x", "y ~ a", "y ~ 0 + a", "y ~ a - 1", "y ~ a*b", "y ~ a:b", "y ~ 0 + a:b", "y ~ a + a:b",
           "y ~ a*b*c", "y ~ b:a + a", "y ~ (a + b + c)^2", "y ~ a/b", "y ~ (a + b)/x", "y ~ a*b - a:b",
           "y ~ x*a", "y ~ x:a", "y ~ 0 + x:a", "y ~ log(x) + I(x^2)", "y ~ sqrt(x) + exp(z)", "y ~ o",
           "y ~ o*a", "y ~ c", "y ~ 1", "y ~ x + z + x:z", "y ~ 0 + a + b", "y ~ a %in% b", "y ~ (a+b)*(x+z)",
           "y ~ 0 + b + a", "y ~ x + a:b")
contr_cases <- list(list(formula = "y ~ a*b", contrasts = list(a = "contr.sum", b = "contr.sum"), spec = list(a = "sum", b = "sum")),
                    list(formula = "y ~ a + c", contrasts = list(a = "contr.helmert", c = "contr.poly"), spec = list(a = "helmert", c = "poly")),
                    list(formula = "y ~ o", contrasts = list(o = "contr.treatment"), spec = list(o = "treatment")))
mm <- function(f, contrasts = NULL) {
  X <- model.matrix(as.formula(f), d, contrasts.arg = contrasts)
  list(formula = f, terms = I(attr(terms(as.formula(f)), "term.labels")), intercept = attr(terms(as.formula(f)), "intercept"),
       names = I(colnames(X)), assign = I(attr(X, "assign")), columns = lapply(seq_len(ncol(X)), function(j) I(unname(X[, j]))))
}
cases <- lapply(forms, mm)
ccases <- lapply(contr_cases, function(cc) c(mm(cc$formula, cc$contrasts), list(contrasts = cc$spec)))
poly <- lapply(2:7, function(k) list(k = k, matrix = lapply(seq_len(k), function(i) I(unname(contr.poly(k)[i, ]))), names = I(colnames(contr.poly(k)))))
out <- list(data = lapply(d, function(v) if (is.factor(v)) list(levels = I(levels(v)), values = I(as.character(v)), ordered = is.ordered(v)) else I(v)),
            cases = c(cases, ccases), poly = poly)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = FALSE), "test/fixtures/formula/model-matrix-cases.json")
