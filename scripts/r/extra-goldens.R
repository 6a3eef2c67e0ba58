# More lme4 / lmerTest reference fits (same fields as the shared make-golden.R), for structures the
# shared goldens do not cover: factor slopes, three crossed terms, || on a factor, 4x4 covariance,
# rows with NAs, nested coding, singular fits, warnings, and the 31k-row Diachek model.
# As make-golden.R: lme4::lmer, then lmerTest::as_lmerModLmerTest for the Satterthwaite columns. The
# data object is put in the global environment, where as_lmerModLmerTest re-evaluates the call (in
# make-golden.R it could find lme4's own `cake` there instead; see cake-treat-lmertest.R).
# Run from the project root: Rscript scripts/r/extra-goldens.R [id ...]   (writes test/fixtures/golden-extra/)
suppressMessages({library(lme4); library(lmerTest); library(jsonlite)})
options(width = 80, digits = 7, warn = 1)
invisible(Sys.setlocale("LC_CTYPE", "C.UTF-8"))
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])), "read-dataset.R"))
cases <- list(
  seed_reml = list("data/diachek_md.csv", "Effect_Size ~ Condition*Hemisphere + (1 + Condition | SubjectID) + (1 | Experiment) + (1 | Region)", TRUE),
  seed_ml = list("data/diachek_md.csv", "Effect_Size ~ Condition*Hemisphere + (1 + Condition | SubjectID) + (1 | Experiment) + (1 | Region)", FALSE),
  md_two_slopes = list("data/diachek_md.csv", "Effect_Size ~ Condition*Hemisphere + (1 + Condition | SubjectID) + (1 + Condition | Region) + (1 | Experiment)", TRUE),
  md_full_slopes = list("data/diachek_md.csv", "Effect_Size ~ Condition*Hemisphere + (1 + Condition*Hemisphere | SubjectID)", TRUE),
  md_uncorr_factor = list("data/diachek_md.csv", "Effect_Size ~ Condition + (Condition || SubjectID)", TRUE),
  md_dummy = list("data/diachek_md.csv", "Effect_Size ~ Condition + (0 + Condition | SubjectID) + (1 | Region)", TRUE),
  sleep_na_slope = list("test/fixtures/data/sleepstudy_na.csv", "Reaction ~ Days + (Days | Subject)", TRUE),
  pastes_sample = list("data/Pastes.csv", "strength ~ 1 + (1 | batch) + (1 | sample)", TRUE),
  diachek_full = list("data/Diachek2020.csv", "Effect_Size ~ Condition*Hemisphere + System + (1 + Condition | SubjectID) + (1 | Experiment) + (1 | Region)", TRUE)
)
only <- commandArgs(trailingOnly = TRUE)
for (id in names(cases)) {
  if (length(only) && !(id %in% only)) next
  cs <- cases[[id]]; path <- cs[[1]]; fstr <- cs[[2]]; REML <- cs[[3]]
  dn <- sub("\\.csv$", "", basename(path))
  assign(dn, read_dataset(path), envir = globalenv())
  e <- globalenv()
  cl <- bquote(lme4::lmer(.(str2lang(fstr)), data = .(as.name(dn)), REML = .(REML)))
  warns <- character(0); msgs <- character(0)
  t <- system.time(m <- withCallingHandlers(eval(cl, e),
    warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") },
    message = function(mm) { msgs <<- c(msgs, sub("\n$", "", conditionMessage(mm))); invokeRestart("muffleMessage") }))
  lt_warns <- character(0)
  mt <- withCallingHandlers(lmerTest::as_lmerModLmerTest(m),
    warning = function(w) { lt_warns <<- c(lt_warns, conditionMessage(w)); invokeRestart("muffleWarning") })
  s <- summary(mt)
  cf <- coef(s)
  vc <- as.data.frame(VarCorr(m))
  ll <- logLik(m)
  re <- ranef(m)
  out <- list(id = id, kind = "lmer", data = path, formula = fstr, REML = REML,
    nobs = nobs(m), ngroups = as.list(ngrps(m)),
    logLik = list(value = as.numeric(ll), df = attr(ll, "df")), AIC = AIC(m), BIC = BIC(m),
    deviance = if (REML) NULL else deviance(m), REMLcrit = if (REML) REMLcrit(m) else NULL,
    devianceML = deviance(m, REML = FALSE), df.residual = df.residual(m), sigma = sigma(m),
    theta = as.list(getME(m, "theta")), beta = as.list(fixef(m)),
    coefficients = lapply(seq_len(nrow(cf)), function(i) c(list(term = rownames(cf)[i]), as.list(cf[i, ]))),
    varcorr = lapply(seq_len(nrow(vc)), function(i) list(grp = vc$grp[i], var1 = vc$var1[i], var2 = vc$var2[i], vcov = vc$vcov[i], sdcor = vc$sdcor[i])),
    isSingular = isSingular(m), feval = m@optinfo$feval,
    lme4_messages = I(as.character(unlist(m@optinfo$conv$lme4$messages))),
    fit_messages = I(msgs), fit_warnings = I(warns), lmerTest_warnings = I(lt_warns),
    ranef_first5 = lapply(re, function(r) list(nlevels = nrow(r), levels = I(head(rownames(r), 5)), columns = I(colnames(r)),
                                               values = lapply(seq_len(min(5, nrow(r))), function(i) I(as.numeric(r[i, ]))))),
    fitted_first20 = I(unname(head(fitted(m), 20))),
    summary_text = paste(capture.output(print(s)), collapse = "\n"),
    r_fit_seconds = t[["elapsed"]])
  writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", na = "null", pretty = TRUE),
             sprintf("test/fixtures/golden-extra/%s.json", id))
  cat(sprintf("%-18s feval %4d  %.2fs  warnings: %s  lmerTest: %s  messages: %s\n", id, m@optinfo$feval, t[["elapsed"]],
              paste(warns, collapse = " | "), paste(lt_warns, collapse = " | "), paste(msgs, collapse = " | ")))
}
