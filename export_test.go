package corridor

// CurrencyExponents is the ISO 4217 table, for the fuzz targets to cover
// every currency the hub knows.
var CurrencyExponents = currencyExponents
