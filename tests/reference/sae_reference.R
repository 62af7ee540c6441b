# sae_reference.R - reference values for angka-sae (Fay-Herriot model),
# computed by an implementation independent of angka's Fisher scoring and
# of R sae: base R only.
#
# Run from the repository root: Rscript tests/reference/sae_reference.R
# (needs r-base-core only; never run by make or CI). It
# 1. generates the data sets under tests/reference/sae/data/ (set.seed, so
#    reruns give the same bytes);
# 2. for every case of tests/reference/sae/cases.csv maximises the REML or
#    ML log-likelihood of A directly (optimize over [0, upper]), then polishes
#    an interior maximum to machine precision by uniroot on the score
#    computed with dense m x m matrices (the P matrix of REML); a maximum
#    whose score at 0 is <= 0 is A = 0;
# 3. computes the GLS coefficients, EBLUPs, and the MSE of Prasad-Rao
#    (REML: g1 + g2 + 2 g3) or Datta-Lahiri (ML: g1 + g2 + 2 g3 - b B^2)
#    as in Rao & Molina (2015) 6.2, synthetic x'beta with MSE A + x'Qx
#    (ML: A - b + x'Qx, b ML's first-order bias of A) for areas without a
#    direct estimate or with variance 0 or missing;
# With transform arcsin the estimates (percentages) are fitted on the
# arcsin-sqrt scale and back-transformed, the MSE by the delta method.
# 4. writes tests/reference/sae/expected/<case>.csv (per area) and
#    <case>_model.csv (A, coefficients, SEs, log-likelihood).
dir <- "tests/reference/sae"
dir.create(file.path(dir, "data"), showWarnings = FALSE, recursive = TRUE)
dir.create(file.path(dir, "expected"), showWarnings = FALSE)
f17 <- function(x) ifelse(is.na(x) | !is.finite(x), "", sprintf("%.17g", x))

## ---- data sets ---------------------------------------------------------
gen <- function(seed, m, k, A, beta, dmin, dmax, factor_levels = 0,
                zero_var = 0, no_est = 0) {
  set.seed(seed)
  X <- matrix(round(runif(m * k, 0, 10), 3), m, k)
  colnames(X) <- paste0("x", seq_len(k))
  eta <- beta[1] + X %*% beta[-1]
  g <- NULL
  if (factor_levels > 0) {
    g <- sample(c("barat", "tengah", "timur")[seq_len(factor_levels)], m,
                replace = TRUE)
    eff <- c(barat = 0, tengah = 1.5, timur = -2)[g]
    eta <- eta + eff
  }
  D <- round(runif(m, dmin, dmax), 4)
  y <- round(as.vector(eta + rnorm(m, 0, sqrt(A)) + rnorm(m, 0, sqrt(D))), 6)
  se <- sqrt(D)
  d <- data.frame(kode = sprintf("63.11.%03d", seq_len(m)), y = y, se = f17(se),
                  X, stringsAsFactors = FALSE)
  if (!is.null(g)) d$wilayah <- g
  d$n_obs <- sample(5:60, m, replace = TRUE)
  if (zero_var > 0) d$se[sample(m, zero_var)] <- "0"
  if (no_est > 0) {
    i <- sample(m, no_est)
    d$y[i] <- NA
    d$se[i] <- ""
  }
  d$y <- f17(d$y)
  d
}

# Proportions in percent (P0-like) with binomial SEs, some 0 (p = 0).
gen_prop <- function(seed, m) {
  set.seed(seed)
  x1 <- round(runif(m, 5, 40), 2); x2 <- round(runif(m, 0.2, 0.6), 3)
  n <- sample(10:120, m, replace = TRUE)
  p <- plogis(-2.5 + 0.04 * x1 + 1.5 * x2 + rnorm(m, 0, 0.6))
  y <- rbinom(m, n, p) / n
  d <- data.frame(kode = sprintf("63.11.%03d", seq_len(m)),
                  y = f17(round(100 * y, 4)),
                  se = f17(round(100 * sqrt(y * (1 - y) / n), 4)),
                  x1 = x1, x2 = x2, n_obs = n, stringsAsFactors = FALSE)
  d$y[c(4, 9)] <- ""; d$se[c(4, 9)] <- ""
  d
}

datasets <- list(
  prop = gen_prop(1706, 60),
  base = gen(1701, 40, 2, 2.0, c(5, 0.8, -0.5), 0.5, 4),
  factor = gen(1702, 50, 1, 1.0, c(2, 1.2), 0.3, 3, factor_levels = 3),
  zero = gen(1703, 30, 2, 1.5, c(1, 0.5, 0.7), 0.5, 3, zero_var = 3, no_est = 2),
  bound = gen(1704, 25, 1, 0.0, c(3, 0.9), 2, 6),
  wide = gen(1705, 200, 4, 0.8, c(1, 0.3, -0.2, 0.5, 0.1), 0.2, 5)
)
for (n in names(datasets))
  write.csv(datasets[[n]], file.path(dir, "data", paste0(n, ".csv")),
            row.names = FALSE, quote = FALSE)

## ---- the reference implementation -------------------------------------
fh_ref <- function(y, X, D, method) {
  loglik <- function(A) {
    V <- A + D
    XtViX <- crossprod(X, X / V)
    beta <- solve(XtViX, crossprod(X, y / V))
    r <- as.vector(y - X %*% beta)
    l <- -0.5 * sum(log(V)) - 0.5 * sum(r^2 / V)
    if (method == "REML")
      l <- l - 0.5 * as.numeric(determinant(XtViX, logarithm = TRUE)$modulus)
    l
  }
  score <- function(A) {
    Vi <- 1 / (A + D)
    if (method == "ML") {
      beta <- solve(crossprod(X, X * Vi), crossprod(X, y * Vi))
      r <- as.vector(y - X %*% beta)
      return(-0.5 * sum(Vi) + 0.5 * sum(Vi^2 * r^2))
    }
    W <- diag(Vi)
    P <- W - W %*% X %*% solve(t(X) %*% W %*% X) %*% t(X) %*% W
    Py <- P %*% y
    -0.5 * sum(diag(P)) + 0.5 * sum(Py^2)
  }
  upper <- 10 * (var(y) + max(D))
  opt <- optimize(loglik, c(0, upper), maximum = TRUE, tol = 1e-10 * upper)
  A <- opt$maximum
  if (score(0) <= 0 && loglik(0) >= opt$objective) {
    A <- 0
  } else {
    lo <- A * (1 - 1e-3); hi <- A * (1 + 1e-3)
    while (score(lo) < 0) lo <- lo / 2
    while (score(hi) > 0) hi <- hi * 2
    A <- uniroot(score, c(lo, hi), tol = 1e-15 * A, maxiter = 1000)$root
    stopifnot(loglik(A) >= opt$objective - 1e-9 * abs(opt$objective))
  }
  Vi <- 1 / (A + D)
  Q <- solve(crossprod(X, X * Vi))
  beta <- as.vector(Q %*% crossprod(X, y * Vi))
  list(A = A, beta = beta, Q = Q, Vi = Vi, method = method,
       loglik = -0.5 * sum(log(2 * pi / Vi) + (y - X %*% beta)^2 * Vi))
}

run_case <- function(case, data, method, factor, transform) {
  d <- read.csv(file.path(dir, "data", paste0(data, ".csv")),
                colClasses = c(kode = "character"), stringsAsFactors = FALSE)
  xs <- grep("^x[0-9]+$", names(d), value = TRUE)
  X <- cbind(1, as.matrix(d[xs]))
  cn <- c("(Intercept)", xs)
  if (factor) {
    lev <- sort(unique(d$wilayah), method = "radix")
    for (l in lev[-1]) X <- cbind(X, as.numeric(d$wilayah == l))
    cn <- c(cn, paste0("wilayah=", lev[-1]))
  }
  D <- as.numeric(d$se)^2
  arcsin <- transform == "arcsin"
  if (arcsin) {
    # percentages on the arcsin-sqrt scale, D = 1/(4 n_eff),
    # n_eff = p (1 - p) / V on the proportion scale
    p <- d$y / 100
    neff <- p * (1 - p) / (D / 100^2)
    d$y <- asin(sqrt(p))
    D <- ifelse(is.finite(neff) & neff > 0, 1 / (4 * neff), NA)
  }
  fit_in <- !is.na(d$y) & !is.na(D) & D > 0
  f <- fh_ref(d$y[fit_in], X[fit_in, , drop = FALSE], D[fit_in], method)
  A <- f$A
  xqx <- rowSums((X %*% f$Q) * X)
  syn <- as.vector(X %*% f$beta)
  m <- sum(fit_in)
  Dk <- ifelse(fit_in, D, NA)
  B <- Dk / (A + Dk)
  gamma <- ifelse(fit_in, A / (A + Dk), 0)
  eblup <- ifelse(fit_in, syn + gamma * (d$y - syn), syn)
  g1 <- Dk * (1 - B)
  g2 <- B^2 * xqx
  VarA <- 2 / sum(f$Vi^2)
  g3 <- B^2 * VarA / (A + Dk)
  mse <- g1 + g2 + 2 * g3
  if (method == "ML") {
    Xf <- X[fit_in, , drop = FALSE]
    b <- -sum(diag(f$Q %*% crossprod(Xf, Xf * f$Vi^2))) / sum(f$Vi^2)
    mse <- mse - b * B^2
  }
  # synthetic: A + x'Qx, for ML with A's first-order bias b removed
  Abar <- A
  if (method == "ML") {
    Xf <- X[fit_in, , drop = FALSE]
    Abar <- A + sum(diag(f$Q %*% crossprod(Xf, Xf * f$Vi^2))) / sum(f$Vi^2)
  }
  mse <- ifelse(fit_in, mse, Abar + xqx)
  if (arcsin) {
    # back-transformation E[100 sin^2 T], T ~ N(mu, v): v = gamma D in
    # the fit, A for the synthetic; MSE by the delta method
    back <- function(mu, v) 100 * (1 - cos(2 * mu) * exp(-2 * v)) / 2
    mu <- eblup
    eblup <- ifelse(fit_in, back(mu, gamma * Dk), back(syn, A))
    mse <- (100 * sin(2 * mu))^2 * mse
    syn <- back(syn, A)
  }
  out <- data.frame(area = d$kode, eblup = f17(eblup), mse = f17(mse),
                    gamma = f17(gamma), synthetic = f17(syn),
                    metode = ifelse(fit_in, "eblup", "sintetis"))
  write.csv(out, file.path(dir, "expected", paste0(case, ".csv")),
            row.names = FALSE, quote = FALSE)
  se <- sqrt(diag(f$Q))
  mod <- data.frame(name = c("refvar", "loglik", cn, paste0("se:", cn)),
                    value = f17(c(A, f$loglik, f$beta, se)))
  write.csv(mod, file.path(dir, "expected", paste0(case, "_model.csv")),
            row.names = FALSE, quote = FALSE)
  cat(sprintf("%-14s m=%3d A=%.10g loglik=%.10g\n", case, m, A, f$loglik))
}

cases <- read.csv(file.path(dir, "cases.csv"), stringsAsFactors = FALSE)
for (i in seq_len(nrow(cases)))
  run_case(cases$case[i], cases$data[i], cases$method[i], cases$factor[i] == 1,
           cases$transform[i])
