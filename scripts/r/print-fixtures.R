# Fixtures for the printing layer (src/print, tests test/print-*.test.ts): the plain numbers each printer
# takes and the text R 4.2.2 / lme4 1.1-31 / lmerTest 3.1-3 prints for them.
#
# Run from the project root:
#   Rscript scripts/r/print-fixtures.R                 # everything (InstEval, sim100k, Diachek take minutes)
#   Rscript scripts/r/print-fixtures.R format coefmat lm anova
#   Rscript scripts/r/print-fixtures.R lmer sleep_ri_reml cake_ml   # only these lmer models
# Writes test/fixtures/print/{format-extra,coefmat-cases,lm-cases,anova-cases}.json and
# test/fixtures/print/lmer/ID.json.
#
# Numbers are written with 17 significant digits (or fewer when that reads back identically);
# NA, NaN, Inf and -Inf are written as the strings "NA", "NaN", "Inf", "-Inf" (the printers tell
# NA from NaN). Texts are capture.output() lines joined by "\n" (no final newline), messages that
# lme4 sends to stderr inlined where a console shows them.
suppressMessages({library(lme4); library(lmerTest); library(jsonlite)})
options(width = 80, digits = 7, scipen = 0, warn = 1, OutDec = ".",
        contrasts = c("contr.treatment", "contr.poly"))
invisible(Sys.setlocale("LC_CTYPE", "C.UTF-8"))
OUT <- "test/fixtures/print"
dir.create(file.path(OUT, "lmer"), recursive = TRUE, showWarnings = FALSE)
ARGS <- commandArgs(trailingOnly = TRUE)
SECTIONS <- c("format", "coefmat", "lm", "lmer", "anova")
want <- function(s) !length(ARGS) || s %in% ARGS
LMER_IDS <- setdiff(ARGS, SECTIONS)

## ---------------------------------------------------------------------------
## JSON
## ---------------------------------------------------------------------------
num1 <- function(v) {
  if (is.na(v) && !is.nan(v)) return('"NA"')
  if (is.nan(v)) return('"NaN"')
  if (is.infinite(v)) return(if (v > 0) '"Inf"' else '"-Inf"')
  for (d in 15:17) { s <- sprintf("%.*g", d, v); if (as.numeric(s) == v) return(s) }
  sprintf("%.17g", v)
}
str1 <- function(s) if (is.na(s)) "null" else as.character(toJSON(enc2utf8(s), auto_unbox = TRUE))
js <- function(x) {
  if (is.null(x)) return("null")
  if (is.factor(x)) x <- as.character(x)
  if (is.list(x)) {
    parts <- vapply(x, js, "", USE.NAMES = FALSE)
    if (!is.null(names(x)) && !inherits(x, "AsIs"))
      return(paste0("{", paste0(vapply(names(x), str1, ""), ":", parts, collapse = ","), "}"))
    return(paste0("[", paste(parts, collapse = ","), "]"))
  }
  if (is.matrix(x)) return(js(lapply(seq_len(nrow(x)), function(i) I(unname(x[i, ])))))
  v <- switch(typeof(x),
    double = vapply(as.numeric(x), num1, ""),
    integer = ifelse(is.na(x), '"NA"', as.character(x)),
    logical = ifelse(is.na(x), "null", ifelse(x, "true", "false")),
    character = vapply(x, str1, "", USE.NAMES = FALSE),
    stop("type ", typeof(x)))
  if (length(x) == 1 && !inherits(x, "AsIs")) return(v[[1]])
  paste0("[", paste(v, collapse = ","), "]")
}
write_json <- function(x, path) {
  con <- file(path, open = "wb"); writeLines(enc2utf8(js(x)), con, useBytes = TRUE); close(con)
  invisible(fromJSON(path, simplifyVector = FALSE))
  cat("wrote", path, "\n")
}
## printed text as a console shows it; message() output inlined
txt <- function(expr) {
  out <- capture.output(withCallingHandlers(expr, message = function(m) {
    cat(conditionMessage(m)); invokeRestart("muffleMessage")
  }))
  paste(out, collapse = "\n")
}
A <- function(x) I(unname(x))   # always a JSON array

## ---------------------------------------------------------------------------
## data: the readers of test/fixtures/golden/make-golden.R (correctly rounded numbers, schema types)
## ---------------------------------------------------------------------------
DATADIR <- normalizePath("data")
local({
  ex <- parse("test/fixtures/golden/make-golden.R")
  for (e in ex) if (is.call(e) && identical(e[[1]], as.name("<-")) &&
                    as.character(e[[2]]) %in% c("POW10", "parse_num", "read_schema", "read_data", "HAVE_JSONLITE"))
    eval(e, globalenv())
})
read_path <- function(path) {   # CSV with a schema next to it (data/ or test/fixtures/data/)
  if (!file.exists(sub("\\.csv$", ".schema.json", path))) {
    # no schema (Diachek2020.csv): numbers as numbers, strings as factors in C-locale order, as
    # scripts/r/extra-goldens.R reads it
    raw <- read.csv(path, colClasses = "character", na.strings = character(0), check.names = FALSE,
                    fileEncoding = "UTF-8-BOM")
    return(as.data.frame(lapply(raw, function(v) {
      v[v == ""] <- NA; n <- suppressWarnings(as.numeric(v))
      if (all(is.na(v) | !is.na(n))) n else factor(v, levels = sort(unique(v[!is.na(v)]), method = "radix"))
    }), check.names = FALSE))
  }
  old <- DATADIR; on.exit(DATADIR <<- old)
  DATADIR <<- normalizePath(dirname(path))
  read_data(sub("\\.csv$", "", basename(path)))
}

## ===========================================================================
## 1. number formatting primitives
## ===========================================================================
if (want("format")) {
  set.seed(42)
  cases <- list()
  add <- function(...) cases[[length(cases) + 1]] <<- list(...)
  # format(x, digits) incl. digits up to 15, near ties, big/small magnitudes, specials
  near <- c(0.15, 0.25, 0.35, 2.675, 1.005, 0.1 + 0.2, 1 / 3, 2 / 3, 9.9999995, 99999.95, 0.00099995,
            123456.5, 1234567.5, 0.5, 1.5, 2.5, 9.5, 99.5, 999.5, 9999.5, 1e5, 1e15, 1e16, 123456789012,
            1e-300, 1e300, 5e-324, 1.7976931348623157e308, 4.35, 4.45, 0.045, 1.0000005, 0.99999995)
  for (d in 1:15) for (v in near) {
    add(fn = "format", x = A(v), digits = d, out = A(format(v, digits = d)))
    add(fn = "format", x = A(-v), digits = d, out = A(format(-v, digits = d)))
  }
  for (i in 1:400) {
    n <- sample(1:6, 1)
    x <- signif(rnorm(n) * 10^sample(-12:12, n, replace = TRUE), sample(1:17, 1))
    if (runif(1) < 0.3) x <- round(x, sample(0:6, 1))
    if (runif(1) < 0.15) x[sample(n, 1)] <- sample(c(NA, NaN, Inf, -Inf, 0), 1)
    d <- sample(1:15, 1)
    add(fn = "format", x = A(x), digits = d, out = A(format(x, digits = d)))
  }
  # nsmall
  for (i in 1:80) {
    x <- round(runif(sample(1:5, 1), -1, 1), sample(1:4, 1)); ns <- sample(0:4, 1); d <- sample(c(3, 5, 7), 1)
    if (runif(1) < 0.2) x[1] <- NaN
    add(fn = "format_nsmall", x = A(x), digits = d, nsmall = ns, out = A(format(x, digits = d, nsmall = ns)))
  }
  # zapsmall
  for (i in 1:80) {
    x <- rnorm(sample(1:6, 1)) * 10^sample(-8:4, 1); x[sample(length(x), 1)] <- x[1] * 10^-sample(3:12, 1)
    d <- sample(3:8, 1)
    add(fn = "zapsmall", x = A(x), digits = d, out = A(zapsmall(x, d)))
  }
  # formatC(x, digits) and signif-then-format as summary.lm uses them
  for (v in c(near, 0.2865, 0.2825, 71.46, 47.71, 1, 10, 123456, 1e-5, 0.0001234, 99999.5)) {
    for (d in c(2, 4, 6)) {
      add(fn = "formatC", x = A(v), digits = d, out = A(formatC(v, digits = d)))
      add(fn = "format_signif", x = A(v), digits = d, out = A(format(signif(v, d))))
    }
  }
  # formatC with format, width and flag
  set.seed(5)
  for (i in 1:150) {
    v <- sample(c(rnorm(1) * 10^sample(-6:8, 1), 0, -0.5, 2.5, 123.456, NaN, Inf, -Inf, NA), 1)
    fm <- sample(c("f", "e", "g", "E", "G"), 1); d <- sample(0:8, 1)
    w <- sample(list(NULL, 3L, 12L, 9L), 1)[[1]]; fl <- sample(c("", "-", "0", "+", " "), 1)
    out <- formatC(v, digits = d, width = w, format = fm, flag = fl)
    add(fn = "formatC_opts", x = A(v), digits = d, width = if (is.null(w)) NULL else w, format = fm, flag = fl, out = A(out))
  }
  # cat() of a number (7 significant digits)
  for (v in c(near, 178, 1743.6, 247, 237661.5, 1e5, 1e15, 0.1, 100000, 123456.7, 1234567.8, -897.04))
    add(fn = "cat", x = A(v), digits = 7L, out = A(capture.output(cat(v))))
  # print() of named vectors
  for (i in 1:60) {
    n <- sample(1:25, 1)
    x <- rnorm(n) * 10^sample(-3:5, 1)
    nm <- vapply(seq_len(n), function(k) paste(sample(c(letters, "(", ")", ".", ":"), sample(1:14, 1), TRUE), collapse = ""), "")
    d <- sample(c(3, 4, 5, 7), 1)
    add(fn = "print_named", x = A(x), names = A(nm), digits = d, text = txt(print(setNames(x, nm), digits = d)))
  }
  # print() of numeric matrices (columns formatted separately, NA, wrapping)
  for (i in 1:40) {
    nr <- sample(1:6, 1); nc <- sample(1:9, 1)
    m <- matrix(rnorm(nr * nc) * 10^sample(-4:6, nr * nc, replace = TRUE), nr, nc)
    if (runif(1) < 0.3) m[sample(length(m), 1)] <- NA
    rn <- vapply(seq_len(nr), function(k) paste(sample(letters, sample(1:12, 1), TRUE), collapse = ""), "")
    cn <- vapply(seq_len(nc), function(k) paste(sample(c(letters, " ", "(", ")", ">", "|"), sample(1:12, 1), TRUE), collapse = ""), "")
    dimnames(m) <- list(rn, cn)
    add(fn = "print_matrix", x = m, rownames = A(rn), colnames = A(cn), digits = 7L, text = txt(print(m)))
  }
  # abbreviate() of coefficient names (summary's fixed-effect correlation labels: minlength 6 and 11)
  term_sets <- list(
    c("(Intercept)", "Days"), c("(Intercept)", "x", "condB"),
    c("(Intercept)", "ConditionS", "HemisphereR", "ConditionS:HemisphereR"),
    c("(Intercept)", "recipeB", "recipeC", "temperature.L", "temperature.Q", "temperature.C", "temperature^4",
      "temperature^5", "recipeB:temperature.L", "recipeC:temperature.L", "recipeB:temperature.Q"),
    c("(Intercept)", "I(Days/1000)", "log(Reaction)", "poly(x, 2)1", "poly(x, 2)2", "s_1", "S_1", "a.b.c", "AbCdEf",
      "ABCDEFGHIJ", "abcdefghij", "aeiou", "xAEIOUx", "x1:x2:x3", "Systemlanguage", "ConditionW:HemisphereR"),
    c("aaaaaaaa", "aaaaaaab", "aaaaaaac", "aaaaaaab"), c("group one", "group  two", " lead", "trail "),
    c("serviceA", "serviceB", "serviceC", "serviceAB"), c("x", "xx", "xxx"))
  set.seed(11)
  for (i in 1:40) term_sets[[length(term_sets) + 1]] <- vapply(1:sample(2:10, 1), function(k)
    paste(sample(c(letters, LETTERS, 0:9, ".", "_", ":", "(", ")", "^", " "), sample(3:25, 1), TRUE), collapse = ""), "")
  for (nm in term_sets) for (ml in c(4, 6, 11))
    add(fn = "abbreviate", names = A(nm), minlength = ml, out = A(unname(abbreviate(nm, ml))))
  write_json(cases, file.path(OUT, "format-extra.json"))
}

## ===========================================================================
## 2. printCoefmat
## ===========================================================================
if (want("coefmat")) {
  set.seed(7)
  cases <- list()
  mk <- function(n, df = FALSE, scale = 1) {
    est <- rnorm(n) * scale * 10^sample(-2:2, n, replace = TRUE)
    se <- abs(est) * runif(n, 0.01, 3) + 1e-12
    tt <- est / se
    d <- if (df) runif(n, 2, 5000) else NULL
    p <- 2 * pt(-abs(tt), if (df) d else 50)
    m <- if (df) cbind(Estimate = est, `Std. Error` = se, df = d, `t value` = tt, `Pr(>|t|)` = p)
         else cbind(Estimate = est, `Std. Error` = se, `t value` = tt, `Pr(>|t|)` = p)
    rownames(m) <- c("(Intercept)", paste0("x", seq_len(n - 1)))[seq_len(n)]
    m
  }
  for (i in 1:120) {
    n <- sample(1:8, 1); m <- mk(n, df = runif(1) < 0.5, scale = 10^sample(-6:6, 1))
    if (runif(1) < 0.15) m[sample(n, 1), ] <- NA
    if (runif(1) < 0.1) m[1, ncol(m)] <- 1e-20
    if (runif(1) < 0.1) m[, ncol(m)] <- runif(n, 0.2, 1)
    if (runif(1) < 0.1) m[1, 1] <- 0
    d <- sample(c(3, 4, 5, 7), 1)
    cases[[length(cases) + 1]] <- list(rownames = A(rownames(m)), colnames = A(colnames(m)), values = m, digits = d,
                                       text = txt(printCoefmat(m, digits = d)))
  }
  # the golden models' fixed-effect tables at digits 4, and without stars / legend
  m <- mk(4, df = TRUE)
  cases[[length(cases) + 1]] <- list(rownames = A(rownames(m)), colnames = A(colnames(m)), values = m, digits = 4,
    signif_stars = FALSE, text = txt(printCoefmat(m, digits = 4, signif.stars = FALSE)))
  cases[[length(cases) + 1]] <- list(rownames = A(rownames(m)), colnames = A(colnames(m)), values = m, digits = 4,
    signif_legend = FALSE, text = txt(printCoefmat(m, digits = 4, signif.legend = FALSE)))
  # other column roles: two statistics, zapped columns, custom cs.ind, NaN cells, na.print
  for (i in 1:40) {
    n <- sample(2:6, 1)
    m <- cbind(a = rnorm(n) * 10^sample(-3:3, 1), b = abs(rnorm(n)) * 10^sample(-9:2, 1),
               s1 = rnorm(n) * 3, s2 = rnorm(n) * 30, `Pr(>F)` = runif(n)^4)
    rownames(m) <- paste0("term", seq_len(n))
    if (runif(1) < 0.3) m[sample(n, 1), sample(1:4, 1)] <- NaN
    if (runif(1) < 0.3) m[1, ] <- NA
    d <- sample(c(3, 4, 5), 1); zi <- if (runif(1) < 0.5) 2L else integer(0)
    np <- sample(c("NA", ""), 1)
    cases[[length(cases) + 1]] <- list(rownames = A(rownames(m)), colnames = A(colnames(m)), values = m, digits = d,
      cs_ind = A(c(1L, 2L)), tst_ind = A(c(3L, 4L)), zap_ind = A(zi), na_print = np,
      text = txt(printCoefmat(m, digits = d, cs.ind = c(1L, 2L), tst.ind = c(3L, 4L), zap.ind = zi, na.print = np)))
  }
  write_json(cases, file.path(OUT, "coefmat-cases.json"))
}

## ===========================================================================
## 3. summary.lm
## ===========================================================================
if (want("lm")) {
  sleepstudy <- read_path("data/sleepstudy.csv")
  cake <- read_path("data/cake.csv")
  Dyestuff <- read_path("data/Dyestuff.csv")
  diachek_md <- read_path("data/diachek_md.csv")
  sleepstudy_na <- read_path("test/fixtures/data/sleepstudy_na.csv")
  sleep_one_na <- sleepstudy; sleep_one_na$Reaction[5] <- NA
  sleep7 <- sleepstudy[1:7, ]
  sleep3 <- sleepstudy[1:3, ]
  sleep2 <- sleepstudy[1:2, ]
  cake_t <- within(cake, temperature <- factor(temperature, ordered = FALSE))
  calls <- list(
    sleep_days = quote(lm(Reaction ~ Days, data = sleepstudy)),
    sleep_noint = quote(lm(Reaction ~ 0 + Days, data = sleepstudy)),
    sleep_int_only = quote(lm(Reaction ~ 1, data = sleepstudy)),
    sleep_transform = quote(lm(log(Reaction) ~ Days + I(Days^2), data = sleepstudy)),
    sleep_aliased = quote(lm(Reaction ~ Days + I(2 * Days), data = sleepstudy)),
    sleep_na = quote(lm(Reaction ~ Days, data = sleepstudy_na)),
    sleep_one_na = quote(lm(Reaction ~ Days, data = sleep_one_na)),
    sleep_subject = quote(lm(Reaction ~ Days * Subject, data = sleepstudy)),
    sleep_scaled = quote(lm(I(Reaction * 1e+06) ~ I(Days/10000), data = sleepstudy)),
    sleep_tiny = quote(lm(I(Reaction/1e+08) ~ Days, data = sleepstudy)),
    sleep_weights = quote(lm(Reaction ~ Days, data = sleepstudy, weights = Days + 1)),
    sleep7 = quote(lm(Reaction ~ Days, data = sleep7)),
    sleep3 = quote(lm(Reaction ~ Days, data = sleep3)),
    sleep2 = quote(lm(Reaction ~ Days, data = sleep2)),
    cake_factor = quote(lm(angle ~ recipe, data = cake)),
    cake_numeric = quote(lm(angle ~ recipe + temp, data = cake)),
    cake_poly = quote(lm(angle ~ recipe * temperature, data = cake)),
    cake_treat = quote(lm(angle ~ recipe * temperature, data = cake_t)),
    cake_sum = quote(lm(angle ~ recipe + temp, data = cake, contrasts = list(recipe = "contr.sum"))),
    cake_aliased = quote(lm(angle ~ recipe + replicate + recipe:replicate + temp, data = cake)),
    cake_long = quote(lm(angle ~ recipe + temperature + replicate + recipe:temperature + temp:recipe + log(temp), data = cake)),
    dyestuff_noint = quote(lm(Yield ~ 0 + Batch, data = Dyestuff)),
    md_interaction = quote(lm(Effect_Size ~ Condition * Hemisphere, data = diachek_md))
  )
  cases <- list()
  for (id in names(calls)) {
    cl <- calls[[id]]
    m <- eval(cl)
    s <- summary(m)
    cf <- coef(s)
    al <- s$aliased
    rows <- lapply(names(al), function(t) {
      if (al[[t]]) list(term = t, estimate = NA_real_, se = NA_real_, t = NA_real_, p = NA_real_)
      else list(term = t, estimate = cf[t, 1], se = cf[t, 2], t = cf[t, 3], p = cf[t, 4])
    })
    fs <- s$fstatistic
    res <- residuals(s)
    cases[[id]] <- list(
      id = id, call = paste(deparse(cl), collapse = " "),
      formula = paste(deparse(cl[[2]]), collapse = " "),
      dataName = as.character(cl$data),
      callLines = A(deparse(s$call)),
      weighted = !is.null(s$weights) && diff(range(s$weights)) != 0,
      residuals = A(res), residualNames = A(names(res)),
      residualQuantiles = A(quantile(res)),
      coefficients = rows,
      sigma = s$sigma, df = A(s$df),
      naMessage = naprint(s$na.action),
      rSquared = s$r.squared, adjRSquared = s$adj.r.squared,
      fStatistic = if (is.null(fs)) NULL else list(value = unname(fs[1]), numdf = unname(fs[2]), dendf = unname(fs[3]),
                                                  p = unname(pf(fs[1], fs[2], fs[3], lower.tail = FALSE))),
      text = txt(print(s)))
  }
  write_json(unname(cases), file.path(OUT, "lm-cases.json"))
}

## ===========================================================================
## 4. lmer summaries, VarCorr, fixef, coefficient tables, type III anova
## ===========================================================================
lmer_cases <- list(
  sleep_ri_reml      = list("data/sleepstudy.csv", "Reaction ~ Days + (1 | Subject)", TRUE),
  sleep_slope_reml   = list("data/sleepstudy.csv", "Reaction ~ Days + (Days | Subject)", TRUE),
  sleep_slope_ml     = list("data/sleepstudy.csv", "Reaction ~ Days + (Days | Subject)", FALSE),
  sleep_uncorr_reml  = list("data/sleepstudy.csv", "Reaction ~ Days + (Days || Subject)", TRUE),
  dyestuff_reml      = list("data/Dyestuff.csv", "Yield ~ 1 + (1 | Batch)", TRUE),
  dyestuff2_reml     = list("data/Dyestuff2.csv", "Yield ~ 1 + (1 | Batch)", TRUE),
  penicillin_reml    = list("data/Penicillin.csv", "diameter ~ 1 + (1 | plate) + (1 | sample)", TRUE),
  pastes_nested_reml = list("data/Pastes.csv", "strength ~ 1 + (1 | batch/cask)", TRUE),
  cake_ml            = list("data/cake.csv", "angle ~ recipe * temperature + (1 | recipe:replicate)", FALSE),
  cake_ml_treat      = list("data/cake.csv", "angle ~ recipe * temperature + (1 | recipe:replicate)", FALSE,
                            "within(d, temperature <- factor(temperature, ordered = FALSE))"),
  insteval_ml        = list("data/InstEval.csv", "y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)", FALSE),
  insteval_reml      = list("data/InstEval.csv", "y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)", TRUE),
  sim100k_ml         = list("data/sim100k.csv", "y ~ 1 + x + cond + (1 + cond | subj) + (1 | item)", FALSE),
  # the extra references of scripts/r/extra-goldens.R
  seed_reml = list("data/diachek_md.csv", "Effect_Size ~ Condition*Hemisphere + (1 + Condition | SubjectID) + (1 | Experiment) + (1 | Region)", TRUE),
  seed_ml = list("data/diachek_md.csv", "Effect_Size ~ Condition*Hemisphere + (1 + Condition | SubjectID) + (1 | Experiment) + (1 | Region)", FALSE),
  md_two_slopes = list("data/diachek_md.csv", "Effect_Size ~ Condition*Hemisphere + (1 + Condition | SubjectID) + (1 + Condition | Region) + (1 | Experiment)", TRUE),
  md_full_slopes = list("data/diachek_md.csv", "Effect_Size ~ Condition*Hemisphere + (1 + Condition*Hemisphere | SubjectID)", TRUE),
  md_uncorr_factor = list("data/diachek_md.csv", "Effect_Size ~ Condition + (Condition || SubjectID)", TRUE),
  md_dummy = list("data/diachek_md.csv", "Effect_Size ~ Condition + (0 + Condition | SubjectID) + (1 | Region)", TRUE),
  sleep_na_slope = list("test/fixtures/data/sleepstudy_na.csv", "Reaction ~ Days + (Days | Subject)", TRUE),
  pastes_sample = list("data/Pastes.csv", "strength ~ 1 + (1 | batch) + (1 | sample)", TRUE),
  diachek_full = list("data/Diachek2020.csv", "Effect_Size ~ Condition*Hemisphere + System + (1 + Condition | SubjectID) + (1 | Experiment) + (1 | Region)", TRUE),
  # more layouts
  cake_rankdef = list("data/cake.csv", "angle ~ recipe + temp + I(2 * temp) + (1 | replicate)", TRUE),
  cake_many_groups = list("data/cake.csv", "angle ~ temp + (1 | replicate) + (1 | recipe) + (1 | recipe:replicate) + (1 | temperature) + (1 | temperature:recipe)", FALSE),
  sleep_scaled = list("data/sleepstudy.csv", "I(Reaction * 1000) ~ I(Days/1000) + (1 | Subject)", TRUE),
  cake_poly_slopes = list("data/cake.csv", "angle ~ temp + (1 + temp + I(temp^2) | replicate)", FALSE),
  dyestuff_nofixed = list("data/Dyestuff.csv", "Yield ~ 0 + (1 | Batch)", TRUE)   # p = 0: lme4 fits ML
)
lmer_fixture <- function(id) {
  cs <- lmer_cases[[id]]
  d <- read_path(cs[[1]])
  if (length(cs) >= 4) d <- eval(parse(text = cs[[4]])[[1]], list(d = d))
  dn <- sub("\\.csv$", "", basename(cs[[1]]))
  if (dn == "Diachek2020") d <- d  # name as in the extra golden
  assign(dn, d, envir = globalenv())
  cl <- bquote(lme4::lmer(.(str2lang(cs[[2]])), data = .(as.name(dn)), REML = .(cs[[3]])))
  m <- suppressWarnings(suppressMessages(eval(cl, globalenv())))
  mt <- suppressWarnings(lmerTest::as_lmerModLmerTest(m))
  s4 <- summary(m)
  st <- summary(mt)
  vc <- as.data.frame(VarCorr(m))
  oi <- m@optinfo
  cf4 <- coef(s4); cft <- coef(st)
  corr <- s4$vcov@factors$correlation
  corr <- as.matrix(if (is.null(corr)) cov2cor(s4$vcov) else corr)
  at <- s4$AICtab
  a3 <- anova(mt)
  # summaries with other optimizer outcomes (printing only: the summary object is edited)
  sw <- st
  sw$optinfo$conv$opt <- 1L
  sw$optinfo$message <- "NLOPT_MAXEVAL_REACHED: Optimization stopped because maxeval (above) was reached."
  sw$optinfo$conv$lme4$messages <- list("Model failed to converge with max|grad| = 0.00237 (tol = 0.002, component 1)")
  sw$optinfo$warnings <- list("convergence code 5 from nloptwrap")
  sw$fitMsgs <- "fixed-effect model matrix is rank deficient so dropping 1 column / coefficient"
  reml <- isREML(m)
  list(
    id = id, formula = cs[[2]], REML = reml, dataName = dn,
    formulaLines = A(deparse(s4$call$formula)),
    nobs = nobs(m), ngroups = as.list(ngrps(m)),
    AICtab = as.list(at),
    logLik = as.numeric(logLik(m)), AIC = AIC(m), BIC = BIC(m),
    deviance = if (reml) NULL else deviance(m), REMLcrit = if (reml) REMLcrit(m) else NULL,
    df.residual = df.residual(m), sigma = sigma(m),
    scaledResidualQuantiles = A(quantile(s4$residuals, na.rm = TRUE)),
    varcorr = lapply(seq_len(nrow(vc)), function(i) list(grp = vc$grp[i], var1 = vc$var1[i], var2 = vc$var2[i],
                                                         vcov = vc$vcov[i], sdcor = vc$sdcor[i])),
    coefficients = lapply(seq_len(nrow(cft)), function(i) c(list(term = rownames(cft)[i]), as.list(cft[i, ]))),
    coef_colnames = A(colnames(cft)), coef_colnames_lme4 = A(colnames(cf4)),
    coefficients_lme4 = lapply(seq_len(nrow(cf4)), function(i) c(list(term = rownames(cf4)[i]), as.list(cf4[i, ]))),
    correlation = if (length(corr)) corr else NULL,
    optimizer = list(name = oi$optimizer, code = oi$conv$opt, message = oi$message,
                     lme4_messages = A(as.character(unlist(oi$conv$lme4$messages))),
                     warnings = A(as.character(unlist(oi$warnings)))),
    fitMsgs = A(as.character(s4$fitMsgs)),
    anova_typeIII = lapply(seq_len(nrow(a3)), function(i) c(list(term = rownames(a3)[i]), as.list(a3[i, ]))),
    text_lmerTest = txt(print(st)),
    text_lme4 = txt(print(s4)),
    text_lmerTest_corr = txt(print(st, correlation = TRUE)),
    text_modified = txt(print(sw)),
    text_varcorr = txt(print(VarCorr(m))),
    text_varcorr_both = txt(print(VarCorr(m), comp = c("Variance", "Std.Dev."))),
    text_varcorr_digits3 = txt(print(VarCorr(m), digits = 3)),
    text_fixef = txt(print(fixef(m))),
    text_coef_lmerTest = txt(print(cft)),
    text_coef_lme4 = txt(print(cf4)),
    text_anova_typeIII = txt(print(a3)),
    text_anova_typeI = txt(print(anova(mt, type = 1))),
    text_anova_typeII = txt(print(anova(mt, type = 2)))
  )
}
if (want("lmer") || length(LMER_IDS)) {
  ids <- if (length(LMER_IDS)) LMER_IDS else names(lmer_cases)
  for (id in ids) {
    t <- system.time(fx <- lmer_fixture(id))[["elapsed"]]
    write_json(fx, file.path(OUT, "lmer", paste0(id, ".json")))
    cat(sprintf("  %s: %.1f s\n", id, t))
  }
}

## ===========================================================================
## 5. likelihood-ratio anova (lme4) and more type III tables (lmerTest)
## ===========================================================================
if (want("anova")) {
  sleepstudy <- read_path("data/sleepstudy.csv")
  cake <- read_path("data/cake.csv")
  lrt <- function(a) {
    tab <- as.data.frame(a, check.names = FALSE)
    list(heading = A(attr(a, "heading")),
         rows = lapply(seq_len(nrow(tab)), function(i) c(list(model = rownames(tab)[i]), as.list(tab[i, ]))),
         text = txt(print(a)))
  }
  fm0 <- lm(Reaction ~ Days, data = sleepstudy)
  fm1 <- lmer(Reaction ~ Days + (1 | Subject), data = sleepstudy)
  fm2 <- lmer(Reaction ~ Days + (Days | Subject), data = sleepstudy)
  fm3 <- lmer(Reaction ~ Days + (Days || Subject), data = sleepstudy)
  c0 <- lmer(angle ~ recipe + (1 | recipe:replicate), data = cake, REML = FALSE)
  c1 <- lmer(angle ~ recipe + temperature + (1 | recipe:replicate), data = cake, REML = FALSE)
  c2 <- lmer(angle ~ recipe * temperature + (1 | recipe:replicate), data = cake, REML = FALSE)
  c3 <- lmer(angle ~ recipe * temperature + temp + (1 | recipe:replicate), data = cake, REML = FALSE)
  cl <- lmer(angle ~ recipe + temp + (1 | recipe:replicate) + (1 | replicate) + (0 + temp | replicate), data = cake, REML = FALSE)
  lrts <- list(
    two = suppressMessages(anova(fm1, fm2)),
    three = suppressMessages(anova(fm2, fm0, fm1)),
    four = suppressMessages(anova(fm1, fm0, fm3, fm2)),
    cake = anova(c0, c1, c2),
    cake_same = anova(c2, c3),
    cake_long = anova(c0, cl)
  )
  # lmerTest type III (and I, II) tables of more models
  t3 <- list(
    cake_treat = lmerTest::lmer(angle ~ recipe * temperature + (1 | recipe:replicate),
                                data = within(cake, temperature <- factor(temperature, ordered = FALSE)), REML = FALSE),
    cake_numeric = lmerTest::lmer(angle ~ recipe * temp + (1 | replicate), data = cake),
    sleep_int_only = lmerTest::lmer(Reaction ~ 1 + (Days | Subject), data = sleepstudy),
    sleep_noint = lmerTest::lmer(Reaction ~ 0 + Days + (1 | Subject), data = sleepstudy),
    sleep_big = lmerTest::lmer(I(Reaction * 1e6) ~ Days + (1 | Subject), data = sleepstudy)
  )
  type3 <- lapply(names(t3), function(id) {
    m <- t3[[id]]
    out <- list(id = id)
    for (ty in c(3, 2, 1)) {
      a <- anova(m, type = ty)
      out[[paste0("type", ty)]] <- list(
        heading = A(attr(a, "heading")),
        rows = lapply(seq_len(nrow(a)), function(i) c(list(term = rownames(a)[i]), as.list(a[i, ]))),
        text = txt(print(a)))
    }
    out
  })
  # Kenward-Roger df: lmerTest's summary title and anova heading name the method
  kr <- lmerTest::lmer(Reaction ~ Days + (Days | Subject), data = sleepstudy)
  skr <- summary(kr, ddf = "Kenward-Roger")
  akr <- anova(kr, ddf = "Kenward-Roger")
  cfk <- coef(skr)
  kenward <- list(
    coefficients = lapply(seq_len(nrow(cfk)), function(i) c(list(term = rownames(cfk)[i]), as.list(cfk[i, ]))),
    summary_text = txt(print(skr)),
    anova_rows = lapply(seq_len(nrow(akr)), function(i) c(list(term = rownames(akr)[i]), as.list(akr[i, ]))),
    anova_text = txt(print(akr)))
  write_json(list(lrt = lapply(lrts, lrt), type3 = type3, kenward = kenward), file.path(OUT, "anova-cases.json"))
}
cat("done\n")
