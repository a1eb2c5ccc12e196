//! Grouping near-duplicate documents: LSH candidates, verified, joined with union-find.

use std::collections::HashMap;

use super::{LshIndex, MinHash, Signature};

/// Disjoint sets over `0..n` with path halving and union by size.
struct UnionFind {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a;
        self.size[a] += self.size[b];
    }
}

/// Groups of near-duplicate documents among `docs` (`(id, text)`): every pair in a group is
/// linked by a chain of pairs whose estimated Jaccard similarity (3-character shingles of the
/// normalised text, see [`super`]) is at least `threshold`. Only groups of two or more are
/// returned; ids within a group are sorted, groups are sorted by their first id. Documents
/// that share an id are treated as one group member each (and end up in the same group only
/// when similar).
pub fn group_near_duplicates(docs: &[(u64, &str)], threshold: f64) -> Vec<Vec<u64>> {
    let minhash = MinHash::default();
    let signatures: Vec<Signature> = docs.iter().map(|(_, t)| minhash.signature(t)).collect();
    let mut index = LshIndex::for_threshold(threshold);
    // The index stores positions in `docs`, so repeated ids cannot be confused.
    for (pos, sig) in signatures.iter().enumerate() {
        index.insert(pos as u64, sig);
    }
    let mut sets = UnionFind::new(docs.len());
    for (pos, sig) in signatures.iter().enumerate() {
        for cand in index.candidates(sig) {
            let cand = cand as usize;
            if cand > pos && sig.jaccard(&signatures[cand]) >= threshold {
                sets.union(pos, cand);
            }
        }
    }
    let mut groups: HashMap<usize, Vec<u64>> = HashMap::new();
    for (pos, (id, _)) in docs.iter().enumerate() {
        let root = sets.find(pos);
        groups.entry(root).or_default().push(*id);
    }
    let mut out: Vec<Vec<u64>> = groups.into_values().filter(|g| g.len() > 1).collect();
    for g in &mut out {
        g.sort_unstable();
    }
    out.sort_unstable();
    out
}
