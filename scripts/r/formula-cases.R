# What R 4.2.2 / lme4 1.1-31 make of formulas: terms() labels, intercept and variables; lme4's findbars,
# nobars and expandDoubleVerts (the printed "Formula:"); deparse of expressions; model matrices
# (model.matrix) including contrasts and random-effects left-hand sides; grouping factors; model frames
# with NA rows and unused levels. Output: test/fixtures/formula/formula-cases.json, read by
# test/formula-*.test.ts, test/design-*.test.ts and test/frame-*.test.ts (which do not need R).
# Run from the project root: Rscript scripts/r/formula-cases.R
suppressMessages({ library(jsonlite); library(lme4) })
options(contrasts = c("contr.treatment", "contr.poly"))
out <- list(R = R.version.string, lme4 = as.character(packageVersion("lme4")))

## 1. terms() of fixed-effects formulas --------------------------------------------------------------
terms_forms <- c(
  "y ~ x", "y ~ 1", "y ~ 0", "y ~ -1", "~ 0 + x", "~ x", "y ~ x - 1", "y ~ x + 0", "y ~ 0 + x", "y ~ -1 + x",
  "y ~ x - 0", "y ~ 1 + x - 1 + 1", "y ~ a*b*c", "y ~ b:a + a", "y ~ (a+b+c)^2", "y ~ (a+b+c)^3 - a:b:c",
  "y ~ (a+b+c+d)^3", "y ~ (a+b*c)^2", "y ~ (a + b:c + d)^3", "y ~ (a*b)^2", "y ~ a/b", "y ~ a/b/c",
  "y ~ (a+b)/c", "y ~ a/(b+c)", "y ~ a*b - a:b", "y ~ a*b - a", "y ~ a*b + 0", "y ~ a %in% b",
  "y ~ a + b %in% a", "y ~ (a + b) %in% c", "y ~ a %in% (b + c)", "y ~ a:b:c + a", "y ~ a - a",
  "y ~ a + a", "y ~ a:b + b:a", "y ~ a:a", "y ~ log(x) + I(x^2)", "y ~ sqrt(x) + exp(z) + log(x + 1)",
  "y ~ I(x/2) + I(x*2) + I(-x) + I(x^-1)", "y ~ I(x^2):a", "y ~ a*(b+c)", "y ~ (a+b)*(x+z)", "y~x**2",
  "y ~ (0+a):b", "y ~ -a + b", "y ~ a + -a", "y ~ a*(b-1)", "y ~ (a - 1)*b", "y ~ a/(b - 1)",
  "y ~ (b+a)^2 - a", "y ~ a + b - (a + 1)", "y ~ 1 - 1", "y ~ x - 1 + 1", "y ~ x - z", "y ~ `a b` + x",
  "log(y) ~ x", "y ~ Condition*Hemisphere", "y ~ I(x * 1e5) + I(x * 0.0001) + I(x * 123456) + I(x * 1/3)",
  "y ~ x + z + x:z", "y ~ (x + z)^2 - x")
out$terms <- lapply(terms_forms, function(f) {
  tt <- terms(as.formula(f))
  list(formula = f, labels = I(attr(tt, "term.labels")), intercept = attr(tt, "intercept") == 1,
       response = attr(tt, "response") == 1,
       variables = I(vapply(as.list(attr(tt, "variables"))[-1], function(v) paste(deparse(v, backtick = TRUE), collapse = ""), "")))
})

## 2. lme4's bar terms ------------------------------------------------------------------------------
lme4_forms <- c(
  "Reaction ~ Days + (Days | Subject)", "Reaction ~ Days + (1 | Subject)", "Reaction ~ Days + (Days || Subject)",
  "Reaction ~ Days + (1 + Days | Subject)", "Reaction ~ Days + (0 + Days | Subject)",
  "Reaction ~ Days + (1 | Subject) + (0 + Days | Subject)", "strength ~ 1 + (1 | batch/cask)",
  "strength ~ (1 | batch) + (1 | batch:cask)", "y ~ 1 + service + (1 | dept:service)", "y ~ (1 | a/b/c)",
  "y ~ (x | a/b)", "y ~ (x || a/b)", "y ~ x + (1 + x*z || g) + (0 + x || h)",
  "Effect_Size ~ Condition*Hemisphere + (1 + Condition | SubjectID) + (1 | Experiment)",
  "Effect_Size ~ Condition*Hemisphere + (1 + Condition | SubjectID) + (1 | Experiment) + (1 | Region)",
  "y ~ (1 | g) + x", "y ~ (b | g) + a*b", "y ~ x + (b:a | g) + a", "y~x+(1|g)", "y ~ (1|g) - 1",
  "y ~ x + (1|g) - 1", "y ~ 0 + x + (1 | g)", "y ~ (1 | g)", "y ~ x + ((1 | g) + (0 + x | g))",
  "y ~ (x + I(x^2) || g)", "y ~ (-1 + x | g)", "y ~ (x - 1 | g)",
  "diameter ~ 1 + (1 | plate) + (1 | sample)", "angle ~ recipe * temperature + (1 | recipe:replicate)")
expr_text <- function(e) paste(deparse(e, width.cutoff = 500L, backtick = TRUE), collapse = "")
out$lme4 <- lapply(lme4_forms, function(f) {
  fo <- as.formula(f)
  ex <- fo; ex[[length(ex)]] <- lme4:::expandDoubleVerts(ex[[length(ex)]])
  bars <- findbars(fo)
  fixed <- terms(nobars(fo))
  list(formula = f, printed = expr_text(ex),
       fixed = list(labels = I(attr(fixed, "term.labels")), intercept = attr(fixed, "intercept") == 1),
       random = lapply(bars, function(b) {
         lt <- terms(eval(substitute(~foo, list(foo = b[[2]]))))
         list(text = expr_text(b), group = expr_text(b[[3]]), grouping = I(all.vars(b[[3]])),
              labels = I(attr(lt, "term.labels")), intercept = attr(lt, "intercept") == 1)
       }),
       frameVariables = I(vapply(as.list(attr(terms(subbars(ex)), "variables"))[-1], expr_text, "")))
})

## 3. deparse -----------------------------------------------------------------------------------------
dep <- c("a/b", "a %in% b", "-x", "~x", "y ~ x", "a|b", "a||b", "(1|g)", "x^2", "a:b", "x*y", "x - y", "-(a+b)",
         "a - (b - c)", "a - -b", "(a-b)-c", "a^b^c", "(a^b)^c", "-a^b", "(-a)^b", "c:(b:a)", "c:b:a", "1e5",
         "0.0001", "123456", "1e-10", "0.1", "1/3", "100000", "1e15", "1e16", "123456789012", "2.5e-7", "-1:2",
         "(-1):2", "-(1:2)", "a + (b + c)", "I(x^2)", "log(x+1)", "sqrt( x )", "exp(-x/2)", "I(x**2)", "`a b`",
         "`if`", "`1x`", "`_x`", ".x", "x.1_a", "`.2x`", "1 + Days | Subject", "0.5", "3.14159265358979",
         "1234567.1", "0.1234567890123456", "12345678901234567890", "1e-300", "1e300", "0.3", "1e+05 + x",
         "y ~ x + (1 | g)", "y~(x||g)", "2.50", "1.0", "`Größe`", "`a-b` + c")
out$deparse <- lapply(dep, function(s) list(text = s, deparse = expr_text(str2lang(s))))

## 4. model matrices ----------------------------------------------------------------------------------
set.seed(11)
n <- 24
d <- data.frame(
  y = round(rnorm(n), 4), x = round(runif(n, 1, 5), 3), z = round(rnorm(n), 3),
  a = factor(rep(c("p", "q", "r"), 8)), b = factor(rep(c("u", "v"), each = 12)),
  c = factor(rep(c("k", "l"), 12)),
  o = factor(rep(c("lo", "mid", "hi", "top"), length.out = n), levels = c("lo", "mid", "hi", "top"), ordered = TRUE),
  g = rep(c(3, 1, 2, 10), each = 6), h = factor(rep(c("h1", "h2", "h3"), each = 8)),
  check.names = FALSE)
d$`a b` <- factor(rep(c("s", "t"), 12)); d$`x y` <- round(d$x * 2 - 1, 3)
d$Condition <- factor(rep(c("W", "S"), 12), levels = c("W", "S"))
mm_cases <- list(
  list(f = "y ~ a:x + a:b"), list(f = "y ~ x:a + a:b:c"), list(f = "y ~ a:b + a:b:c"), list(f = "y ~ a:b:c + b:c"),
  list(f = "y ~ 0 + x + a:b"), list(f = "y ~ 0 + x:a + b"), list(f = "y ~ `a b` + `x y`"), list(f = "y ~ `a b`:`x y`"),
  list(f = "y ~ b:a + a"), list(f = "y ~ a*b - a"), list(f = "y ~ 0 + a:b + b"), list(f = "y ~ 0 + a"),
  list(f = "y ~ a:b"), list(f = "y ~ x*a*b"), list(f = "y ~ x:z:a"), list(f = "y ~ (a + b + c)^2"),
  list(f = "y ~ o"), list(f = "y ~ o:x + a"), list(f = "y ~ a + b %in% a"), list(f = "y ~ a/x"),
  list(f = "y ~ log(x) + I(x^2) + sqrt(z + 3) + exp(z/2)"), list(f = "y ~ I(x * 1e5):a"),
  list(f = "y ~ Condition", contrasts = list(Condition = "S>W"), spec = list(Condition = list(matrix = list(I(-0.5), I(0.5)), names = I("S>W")))),
  list(f = "y ~ Condition*a", contrasts = list(Condition = "S>W", a = "sum"), spec = list(Condition = list(matrix = list(I(-0.5), I(0.5)), names = I("S>W")), a = "sum")),
  list(f = "y ~ a", contrasts = list(a = "unnamed2"), spec = list(a = list(matrix = list(c(-1, 1), c(0, -2), c(1, 1))))),
  list(f = "y ~ a", contrasts = list(a = "unnamed1"), spec = list(a = list(matrix = list(I(-1), I(0), I(1))))),
  list(f = "y ~ a*b", contrasts = list(a = "contr.helmert", b = "contr.sum"), spec = list(a = "helmert", b = "sum")),
  list(f = "y ~ a*o", contrasts = list(a = "contr.sum", o = "contr.helmert"), spec = list(a = "sum", o = "helmert")),
  list(f = "y ~ a + x", contrasts = list(a = "contr.poly"), spec = list(a = "poly")),
  list(f = "y ~ o", contrasts = list(o = "contr.treatment"), spec = list(o = "treatment")),
  list(f = "y ~ 0 + a", contrasts = list(a = "contr.sum"), spec = list(a = "sum")),
  list(f = "y ~ 0 + a + b", contrasts = list(a = "contr.sum", b = "contr.sum"), spec = list(a = "sum", b = "sum")),
  list(f = "y ~ `a b` * x", contrasts = list(`a b` = "contr.sum"), spec = list(`a b` = "sum")))
user_contrast <- function(name) {
  switch(name,
    "S>W" = { m <- matrix(c(-0.5, 0.5), ncol = 1); colnames(m) <- "S>W"; m },
    unnamed2 = matrix(c(-1, 0, 1, 1, -2, 1), ncol = 2),
    unnamed1 = matrix(c(-1, 0, 1), ncol = 1),
    sum = "contr.sum", name)
}
columns_of <- function(X) lapply(seq_len(ncol(X)), function(j) I(unname(X[, j])))
out$modelMatrix <- lapply(mm_cases, function(cc) {
  ca <- if (is.null(cc$contrasts)) NULL else lapply(cc$contrasts, user_contrast)
  X <- model.matrix(as.formula(cc$f), d, contrasts.arg = ca)
  list(formula = cc$f, contrasts = cc$spec, names = I(colnames(X)), assign = I(attr(X, "assign")), columns = columns_of(X))
})
out$data <- lapply(d, function(v) if (is.factor(v)) list(levels = I(levels(v)), values = I(as.character(v)), ordered = is.ordered(v)) else I(v))

## 5. random-effects terms: left-hand-side matrices and grouping factors, as lme4's mkBlist builds them
re_forms <- c("y ~ x + (1 + a | h)", "y ~ x + (0 + a | h)", "y ~ (x || h)", "y ~ (a || h)", "y ~ (1 | g)",
              "y ~ x + (x | g)", "y ~ (1 | h/g)", "y ~ (1 | a:b)", "y ~ (1 | b:a)", "y ~ (0 + Condition | h) + (1 | a/b/c)",
              "y ~ (1 + x*a | h)", "y ~ (a:b | h)", "y ~ (b:a | h) + a", "y ~ x + (0 + x:a | g)", "y ~ (x*a || h)",
              "y ~ g + (1 | g)")
out$random <- lapply(re_forms, function(f) {
  fo <- as.formula(f)
  lf <- lFormula(fo, d, control = lmerControl(check.nobs.vs.nlev = "ignore", check.nobs.vs.nRE = "ignore",
                                              check.nlev.gtr.1 = "ignore", check.rankX = "ignore"))
  fr <- lf$fr
  bars <- findbars(fo)
  terms <- lapply(bars, function(b) {
    frf <- fr
    for (v in all.vars(b[[3]])) frf[[v]] <- factor(frf[[v]])  # lme4's factorize()
    ff <- factor(eval(b[[3]], frf))
    mm <- model.matrix(eval(substitute(~foo, list(foo = b[[2]]))), fr)
    list(text = expr_text(b), group = expr_text(b[[3]]), levels = I(levels(ff)), codes = I(as.integer(ff) - 1L),
         names = I(colnames(mm)), columns = columns_of(mm))
  })
  list(formula = f, terms = terms, fixedNames = I(colnames(lf$X)),
       lme4 = lapply(seq_along(lf$reTrms$cnms), function(i) list(group = names(lf$reTrms$cnms)[i], names = I(lf$reTrms$cnms[[i]]))))
})

## 6. model frames: na.omit, unused levels dropped, numeric grouping variables -------------------------
dna <- data.frame(
  y = c(1.5, 2.1, NA, 4.2, 5.3, 6.1, 7.7, 8.2, 9.9, 10.4),
  x = c(1, 2, 3, NA, 5, 6, 7, 8, 9, 10),
  f = factor(c("a", "b", "c", "a", "b", "a", "b", "a", "d", "b"), levels = c("d", "c", "b", "a")),
  g = c(2, 2, 1, 1, 3, 3, 10, 10, NA, 1),
  h = factor(c("u", "u", "v", "v", "w", "w", "u", "v", "w", NA)),
  w = c(NA, 1, 1, 1, 1, 1, 1, 1, 1, 1))
fr_forms <- c("y ~ x", "y ~ x + f", "y ~ f + (1 | g)", "y ~ x + (1 | h)", "y ~ f", "w ~ f", "y ~ x + (x | h:f)", "y ~ x - w")
out$frames <- lapply(fr_forms, function(f) {
  fo <- as.formula(f)
  mf <- if (is.null(findbars(fo))) model.frame(fo, dna, drop.unused.levels = TRUE) else  # as lm() calls it
    lFormula(fo, dna, control = lmerControl(check.nobs.vs.nlev = "ignore", check.nobs.vs.nRE = "ignore",
                                            check.nlev.gtr.1 = "ignore", check.rankX = "ignore"))$fr
  list(formula = f, rows = I(as.integer(rownames(mf)) - 1L), nDropped = nrow(dna) - nrow(mf),
       variables = I(names(mf)),
       factors = lapply(Filter(is.factor, as.list(mf)), function(v) I(levels(v))))
})
out$frameData <- lapply(dna, function(v) if (is.factor(v)) list(levels = I(levels(v)), values = I(as.character(v))) else I(v))

## 7. the cake data: angle ~ recipe * temperature (temperature ordered) -------------------------------
cake <- lme4::cake
Xc <- model.matrix(angle ~ recipe * temperature, cake)
out$cake <- list(formula = "angle ~ recipe * temperature", names = I(colnames(Xc)), assign = I(attr(Xc, "assign")),
                 columns = columns_of(Xc))
Xs <- model.matrix(angle ~ recipe * temperature, cake, contrasts.arg = list(recipe = "contr.sum", temperature = "contr.helmert"))
out$cakeSumHelmert <- list(formula = "angle ~ recipe * temperature", contrasts = list(recipe = "sum", temperature = "helmert"),
                           names = I(colnames(Xs)), assign = I(attr(Xs, "assign")), columns = columns_of(Xs))

## 8. contr.poly for many levels
out$poly <- lapply(c(2:12, 20), function(k) list(k = k, matrix = lapply(seq_len(k), function(i) I(unname(contr.poly(k)[i, ]))), names = I(colnames(contr.poly(k)))))

writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = FALSE, null = "null"), "test/fixtures/formula/formula-cases.json")
cat("wrote test/fixtures/formula/formula-cases.json\n")
