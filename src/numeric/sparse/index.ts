// Sparse linear algebra: CSC matrices with reusable assembly plans, AMD ordering, sparse LU and sparse LDLᵀ.

export {
  type AssemblyPlan,
  assemble,
  type CscMatrix,
  createAssemblyPlan,
  cscFromDenseRows,
  cscFromTriplets,
  cscToDenseRows,
  multiplyCsc,
  nnzOf,
  transposeCsc,
} from './csc-matrix.ts';
export {
  approximateMinimumDegree,
  invertPermutation,
  isPermutation,
  type MinimumDegreeOptions,
  naturalOrdering,
} from './ordering.ts';
export {
  analyseSparseLdl,
  createSparseLdlFactors,
  factorSparseLdl,
  ldlFactorNnz,
  refactorSparseLdl,
  type SparseLdlFactors,
  type SparseLdlOptions,
  type SparseLdlSymbolic,
  solveSparseLdl,
} from './sparse-ldl.ts';
export {
  analyseSparseLu,
  factorNnz,
  factorSparseLu,
  refactorSparseLu,
  SingularMatrixError,
  type SparseLuFactors,
  type SparseLuOptions,
  type SparseLuStats,
  type SparseLuSymbolic,
  solveSparseLu,
  solveTransposedSparseLu,
} from './sparse-lu.ts';
